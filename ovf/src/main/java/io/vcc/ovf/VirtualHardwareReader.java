package io.vcc.ovf;

import io.vcc.ovf.OvfException.Reason;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code VirtualHardwareSection}: RASD {@code Item}s of OVF 1.x and 2.x, plus the
 * {@code EthernetPortItem}s and {@code StorageItem}s OVF 2.x adds. Their property elements share local names
 * across the RASD, EPASD and SASD namespaces, so they are looked up by local name.
 */
final class VirtualHardwareReader {

    static final int CPU = 3;
    static final int MEMORY = 4;
    static final int ETHERNET = 10;
    static final int DISK_DRIVE = 17;
    /** CIM "logical disk", which some OVF 2 StorageItems use for the same thing. */
    static final int LOGICAL_DISK = 31;

    /** {@code ovf:/disk/id}; VirtualBox writes {@code /disk/id}. */
    private static final Pattern DISK_HOST_RESOURCE = Pattern.compile("^(?:ovf:)?/+disk/(.+)$");

    private final String ovf;
    private final String configuration;

    /**
     * @param ovf           the envelope's OVF namespace
     * @param configuration the deployment option whose items apply, or {@code null} when there are none
     */
    VirtualHardwareReader(String ovf, String configuration) {
        this.ovf = ovf;
        this.configuration = configuration;
    }

    VirtualHardware read(String systemId, XmlElement section, List<String> virtualBoxMacs) {
        List<Item> items = applicableItems(systemId, section);
        String systemType = section.child(ovf, "System").map(s -> s.childTextAnyNamespace("VirtualSystemType"))
                .orElse(null);
        int cpus = readCpus(systemId, items);
        long memoryBytes = readMemory(systemId, items);
        Map<String, StorageController> controllers = readControllers(items);
        List<DiskAttachment> disks = new ArrayList<>();
        List<NetworkAdapter> nics = new ArrayList<>();
        for (Item item : items) {
            if (item.type == DISK_DRIVE || item.type == LOGICAL_DISK) {
                disks.add(readDisk(systemId, item, controllers, items));
            } else if (item.type == ETHERNET) {
                nics.add(new NetworkAdapter(item.text("Connection"), item.text("Address"),
                        item.text("ResourceSubType")));
            }
        }
        return new VirtualHardware(systemType, cpus, memoryBytes, disks, withVirtualBoxMacs(nics, virtualBoxMacs));
    }

    /**
     * The items of this configuration. Items sharing an {@code InstanceID} are one item, combined as DSP0243
     * (9.5) has it: a property of a later item replaces the like-named one of an earlier item. Profiles use this
     * to override a common item (or each other, e.g. one CPU item per configuration with the same id).
     */
    private List<Item> applicableItems(String systemId, XmlElement section) {
        List<Item> items = new ArrayList<>();
        Map<String, Integer> byInstanceId = new HashMap<>();
        for (XmlElement element : section.children()) {
            if (!element.namespace().equals(ovf) || !isItem(element.localName()) || !applies(element)) {
                continue;
            }
            String instanceId = element.childTextAnyNamespace("InstanceID");
            Integer earlier = instanceId == null ? null : byInstanceId.get(instanceId);
            if (earlier == null) {
                if (instanceId != null) {
                    byInstanceId.put(instanceId, items.size());
                }
                items.add(new Item(instanceId, List.of(element)).typed(systemId));
                continue;
            }
            Item combined = items.get(earlier).and(element).typed(systemId);
            if (combined.type != items.get(earlier).type) {
                throw new OvfException(Reason.MALFORMED_DESCRIPTOR, "InstanceID " + instanceId + " of virtual system '"
                        + systemId + "' is of ResourceType " + items.get(earlier).type + " in one item and "
                        + combined.type + " in another");
            }
            items.set(earlier, combined);
        }
        return items;
    }

    private static boolean isItem(String localName) {
        return localName.equals("Item") || localName.equals("EthernetPortItem") || localName.equals("StorageItem");
    }

    /** Items for another deployment option, and the min/max bounds of a range, are not this machine's hardware. */
    private boolean applies(XmlElement item) {
        String bound = item.ovfAttribute(ovf, "bound");
        if (bound != null && !bound.equals("normal")) {
            return false;
        }
        String configurations = item.ovfAttribute(ovf, "configuration");
        if (configurations == null || configurations.isBlank()) {
            return true;
        }
        return configuration != null && Arrays.asList(configurations.strip().split("\\s+")).contains(configuration);
    }

    private static int readCpus(String systemId, List<Item> items) {
        Item cpu = first(items, CPU).orElseThrow(() -> new OvfException(Reason.MALFORMED_DESCRIPTOR,
                "virtual system '" + systemId + "' has no CPU item"));
        long count = OvfDescriptorReader.parseLong(cpu.required("VirtualQuantity", systemId), "CPU count");
        if (count < 1 || count > 4096) {
            throw new OvfException(Reason.MALFORMED_DESCRIPTOR,
                    "virtual system '" + systemId + "' has " + count + " CPUs");
        }
        return (int) count;
    }

    private static long readMemory(String systemId, List<Item> items) {
        Item memory = first(items, MEMORY).orElseThrow(() -> new OvfException(Reason.MALFORMED_DESCRIPTOR,
                "virtual system '" + systemId + "' has no memory item"));
        long quantity = OvfDescriptorReader.parseLong(memory.required("VirtualQuantity", systemId), "memory size");
        // CIM 2.x moved the unit of VirtualQuantity to VirtualQuantityUnits; AllocationUnits is the older place.
        String units = memory.text("VirtualQuantityUnits");
        if (units == null) {
            units = memory.text("AllocationUnits");
        }
        if (units == null) {
            throw new OvfException(Reason.MALFORMED_DESCRIPTOR,
                    "memory of virtual system '" + systemId + "' states no AllocationUnits");
        }
        return AllocationUnits.toBytes(quantity, units);
    }

    private static Map<String, StorageController> readControllers(List<Item> items) {
        Map<String, StorageController> controllers = new HashMap<>();
        Map<ControllerType, Integer> seen = new EnumMap<>(ControllerType.class);
        for (Item item : items) {
            Optional<ControllerType> type = ControllerType.ofResourceType(item.type);
            if (type.isEmpty() || item.instanceId == null) {
                continue;
            }
            int ordinal = seen.merge(type.get(), 1, Integer::sum) - 1;
            String address = item.text("Address");
            int bus = address != null && address.matches("\\d{1,4}") ? Integer.parseInt(address) : ordinal;
            controllers.put(item.instanceId, new StorageController(type.get(), item.text("ResourceSubType"), bus));
        }
        return controllers;
    }

    private static DiskAttachment readDisk(String systemId, Item item, Map<String, StorageController> controllers,
                                           List<Item> items) {
        String hostResource = item.required("HostResource", systemId);
        Matcher disk = DISK_HOST_RESOURCE.matcher(hostResource);
        if (!disk.matches()) {
            throw new OvfException(Reason.UNSUPPORTED, "disk item of virtual system '" + systemId
                    + "' is backed by '" + PackagePaths.printable(hostResource) + "', not by a DiskSection disk");
        }
        StorageController controller = null;
        String parent = item.text("Parent");
        if (parent != null) {
            controller = controllers.get(parent);
            if (controller == null) {
                boolean exists = items.stream().anyMatch(other -> parent.equals(other.instanceId));
                throw new OvfException(exists ? Reason.UNSUPPORTED : Reason.MALFORMED_DESCRIPTOR,
                        "disk '" + disk.group(1) + "' of virtual system '" + systemId + "' hangs off item " + parent
                                + (exists ? ", which is not an IDE, SCSI or SATA/NVMe controller" : ", which is absent"));
            }
        }
        String unit = item.text("AddressOnParent");
        return new DiskAttachment(disk.group(1), controller,
                unit == null ? null : (int) Math.min(Integer.MAX_VALUE, OvfDescriptorReader.parseLong(unit, "AddressOnParent")));
    }

    private static List<NetworkAdapter> withVirtualBoxMacs(List<NetworkAdapter> nics, List<String> macs) {
        boolean noneKnown = nics.stream().allMatch(nic -> nic.macAddress() == null);
        if (!noneKnown || macs.size() != nics.size() || macs.contains(null)) {
            return nics;
        }
        List<NetworkAdapter> withMacs = new ArrayList<>();
        for (int i = 0; i < nics.size(); i++) {
            NetworkAdapter nic = nics.get(i);
            withMacs.add(new NetworkAdapter(nic.network(), macs.get(i), nic.adapterType()));
        }
        return withMacs;
    }

    private static Optional<Item> first(List<Item> items, int type) {
        return items.stream().filter(item -> item.type == type).findFirst();
    }

    /** One item: the elements that make it up (sharing its InstanceID), later ones taking precedence. */
    private record Item(String instanceId, int type, List<XmlElement> elements) {

        Item(String instanceId, List<XmlElement> elements) {
            this(instanceId, -1, elements);
        }

        Item and(XmlElement later) {
            List<XmlElement> all = new ArrayList<>(elements);
            all.add(later);
            return new Item(instanceId, type, List.copyOf(all));
        }

        Item typed(String systemId) {
            String typeText = text("ResourceType");
            if (typeText == null) {
                throw new OvfException(Reason.MALFORMED_DESCRIPTOR,
                        "an item of virtual system '" + systemId + "' has no ResourceType");
            }
            return new Item(instanceId,
                    (int) Math.min(Integer.MAX_VALUE, OvfDescriptorReader.parseLong(typeText, "ResourceType")), elements);
        }

        String text(String localName) {
            for (int i = elements.size() - 1; i >= 0; i--) {
                if (elements.get(i).childAnyNamespace(localName).isPresent()) {
                    return elements.get(i).childTextAnyNamespace(localName);
                }
            }
            return null;
        }

        String required(String localName, String systemId) {
            String value = text(localName);
            if (value == null) {
                throw new OvfException(Reason.MALFORMED_DESCRIPTOR, "item " + instanceId + " (type " + type
                        + ") of virtual system '" + systemId + "' lacks " + localName);
            }
            return value;
        }
    }
}
