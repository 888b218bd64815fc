package io.vcc.ovf;

import javax.xml.stream.XMLStreamException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.vcc.ovf.OvfNamespaces.OVF_2;
import static io.vcc.ovf.OvfNamespaces.RASD;
import static io.vcc.ovf.OvfNamespaces.VMW;
import static io.vcc.ovf.OvfNamespaces.VSSD;

/**
 * Writes an {@link OvfEnvelope} as an OVF 2.0 descriptor that {@link OvfDescriptorReader} reads back equal.
 * Hardware is written as RASD {@code Item}s with their elements in the alphabetical order the CIM schemas
 * prescribe, so OVF 1.x-era tools accept them too. Thread-safe.
 */
public final class OvfDescriptorWriter {

    public byte[] write(OvfEnvelope envelope) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(envelope, out);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    /** Writes the descriptor to {@code out}, which is flushed but not closed. */
    public void write(OvfEnvelope envelope, OutputStream out) throws IOException {
        try {
            IndentingXml xml = new IndentingXml(out);
            xml.start("", "Envelope", OVF_2);
            xml.namespace("", OVF_2);
            xml.namespace("ovf", OVF_2);
            xml.namespace("rasd", RASD);
            xml.namespace("vssd", VSSD);
            xml.namespace("vmw", VMW);
            writeReferences(xml, envelope.files());
            writeDisks(xml, envelope.disks());
            writeNetworks(xml, envelope.networks());
            writeContent(xml, envelope.content());
            xml.end();
            xml.finish();
            out.flush();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write OVF descriptor", e);
        }
    }

    private static void writeReferences(IndentingXml xml, List<FileReference> files) throws XMLStreamException {
        xml.start("", "References", OVF_2);
        for (FileReference file : files) {
            xml.empty("", "File", OVF_2);
            xml.attribute("ovf", OVF_2, "id", file.id());
            xml.attribute("ovf", OVF_2, "href", file.href());
            xml.attribute("ovf", OVF_2, "size", file.size());
            xml.attribute("ovf", OVF_2, "compression", file.compression());
        }
        xml.end();
    }

    private static void writeDisks(IndentingXml xml, List<VirtualDisk> disks) throws XMLStreamException {
        if (disks.isEmpty()) {
            return;
        }
        xml.start("", "DiskSection", OVF_2);
        xml.leaf("", "Info", OVF_2, "Virtual disk information");
        for (VirtualDisk disk : disks) {
            String units = AllocationUnits.unitsFor(disk.capacityBytes());
            xml.empty("", "Disk", OVF_2);
            xml.attribute("ovf", OVF_2, "diskId", disk.diskId());
            xml.attribute("ovf", OVF_2, "fileRef", disk.fileRef());
            xml.attribute("ovf", OVF_2, "capacity", AllocationUnits.quantityIn(disk.capacityBytes(), units));
            xml.attribute("ovf", OVF_2, "capacityAllocationUnits", units);
            xml.attribute("ovf", OVF_2, "format", disk.format());
            xml.attribute("ovf", OVF_2, "populatedSize", disk.populatedSize());
        }
        xml.end();
    }

    private static void writeNetworks(IndentingXml xml, List<OvfNetwork> networks) throws XMLStreamException {
        if (networks.isEmpty()) {
            return;
        }
        xml.start("", "NetworkSection", OVF_2);
        xml.leaf("", "Info", OVF_2, "Logical networks");
        for (OvfNetwork network : networks) {
            xml.start("", "Network", OVF_2);
            xml.attribute("ovf", OVF_2, "name", network.name());
            xml.leaf("", "Description", OVF_2, network.description());
            xml.end();
        }
        xml.end();
    }

    private static void writeContent(IndentingXml xml, OvfContent content) throws XMLStreamException {
        if (content instanceof VirtualSystemCollection collection) {
            xml.start("", "VirtualSystemCollection", OVF_2);
            xml.attribute("ovf", OVF_2, "id", collection.id());
            xml.leaf("", "Info", OVF_2, "A collection of virtual machines");
            xml.leaf("", "Name", OVF_2, collection.name());
            writeProduct(xml, collection.product());
            for (OvfContent member : collection.contents()) {
                writeContent(xml, member);
            }
            xml.end();
        } else if (content instanceof VirtualSystem system) {
            xml.start("", "VirtualSystem", OVF_2);
            xml.attribute("ovf", OVF_2, "id", system.id());
            xml.leaf("", "Info", OVF_2, "A virtual machine");
            xml.leaf("", "Name", OVF_2, system.name());
            writeProduct(xml, system.product());
            writeOs(xml, system.os());
            writeHardware(xml, system.id(), system.hardware());
            xml.end();
        }
    }

    private static void writeProduct(IndentingXml xml, ProductInfo product) throws XMLStreamException {
        if (product == null) {
            return;
        }
        xml.start("", "ProductSection", OVF_2);
        xml.leaf("", "Info", OVF_2, "Information about the installed software");
        xml.leaf("", "Product", OVF_2, product.product());
        xml.leaf("", "Vendor", OVF_2, product.vendor());
        xml.leaf("", "Version", OVF_2, product.version());
        xml.leaf("", "FullVersion", OVF_2, product.fullVersion());
        xml.leaf("", "ProductUrl", OVF_2, product.productUrl());
        xml.leaf("", "VendorUrl", OVF_2, product.vendorUrl());
        xml.end();
    }

    private static void writeOs(IndentingXml xml, GuestOs os) throws XMLStreamException {
        if (os == null) {
            return;
        }
        xml.start("", "OperatingSystemSection", OVF_2);
        xml.attribute("ovf", OVF_2, "id", os.cimId());
        // vmw:osType is the de facto place for a precise guest id; VMware tools read it, others ignore it.
        xml.attribute("vmw", VMW, "osType", os.vendorType());
        xml.leaf("", "Info", OVF_2, "The kind of installed guest operating system");
        xml.leaf("", "Description", OVF_2, os.description());
        xml.end();
    }

    private static void writeHardware(IndentingXml xml, String systemId, VirtualHardware hardware)
            throws XMLStreamException {
        xml.start("", "VirtualHardwareSection", OVF_2);
        xml.leaf("", "Info", OVF_2, "Virtual hardware requirements");
        if (hardware.systemType() != null) {
            xml.start("", "System", OVF_2);
            xml.leaf("vssd", "ElementName", VSSD, "Virtual Hardware Family");
            xml.leaf("vssd", "InstanceID", VSSD, 0);
            xml.leaf("vssd", "VirtualSystemIdentifier", VSSD, systemId);
            xml.leaf("vssd", "VirtualSystemType", VSSD, hardware.systemType());
            xml.end();
        }
        int instanceId = 1;
        item(xml, new Rasd().elementName(hardware.cpus() + " virtual CPU(s)").instanceId(instanceId++)
                .resourceType(VirtualHardwareReader.CPU).virtualQuantity(hardware.cpus()));
        String memoryUnits = hardware.memoryBytes() % (1L << 20) == 0 ? "byte * 2^20" : "byte";
        long memoryQuantity = AllocationUnits.quantityIn(hardware.memoryBytes(), memoryUnits);
        String memoryName = memoryQuantity + (memoryUnits.equals("byte") ? " bytes" : "MB") + " of memory";
        item(xml, new Rasd().allocationUnits(memoryUnits).elementName(memoryName).instanceId(instanceId++)
                .resourceType(VirtualHardwareReader.MEMORY).virtualQuantity(memoryQuantity));

        Map<StorageController, Integer> controllers = new LinkedHashMap<>();
        for (DiskAttachment disk : hardware.disks()) {
            if (disk.controller() != null && !controllers.containsKey(disk.controller())) {
                StorageController controller = disk.controller();
                controllers.put(controller, instanceId);
                item(xml, new Rasd().address(controller.bus()).elementName(controller.type() + " controller "
                        + controller.bus()).instanceId(instanceId++).resourceSubType(controller.subType())
                        .resourceType(controller.type().resourceType()));
            }
        }
        int diskNumber = 1;
        for (DiskAttachment disk : hardware.disks()) {
            item(xml, new Rasd().addressOnParent(disk.unit()).elementName("Hard disk " + diskNumber++)
                    .hostResource("ovf:/disk/" + disk.diskId()).instanceId(instanceId++)
                    .parent(disk.controller() == null ? null : controllers.get(disk.controller()))
                    .resourceType(VirtualHardwareReader.DISK_DRIVE));
        }
        int nicNumber = 1;
        for (NetworkAdapter nic : hardware.nics()) {
            item(xml, new Rasd().address(nic.macAddress()).automaticAllocation(nic.network() != null)
                    .connection(nic.network()).elementName("Network adapter " + nicNumber++)
                    .instanceId(instanceId++).resourceSubType(nic.adapterType())
                    .resourceType(VirtualHardwareReader.ETHERNET));
        }
        xml.end();
    }

    private static void item(IndentingXml xml, Rasd rasd) throws XMLStreamException {
        xml.start("", "Item", OVF_2);
        for (Map.Entry<String, Object> element : rasd.elements) {
            xml.leaf("rasd", element.getKey(), RASD, element.getValue());
        }
        xml.end();
    }

    /** RASD properties, built in the schema's alphabetical order by the order of the calls. */
    private static final class Rasd {
        private final List<Map.Entry<String, Object>> elements = new ArrayList<>();

        private Rasd put(String name, Object value) {
            if (value != null) {
                elements.add(Map.entry(name, value));
            }
            return this;
        }

        Rasd address(Object value) {
            return put("Address", value);
        }

        Rasd addressOnParent(Integer value) {
            return put("AddressOnParent", value);
        }

        Rasd allocationUnits(String value) {
            return put("AllocationUnits", value);
        }

        Rasd automaticAllocation(boolean value) {
            return put("AutomaticAllocation", value);
        }

        Rasd connection(String value) {
            return put("Connection", value);
        }

        Rasd elementName(String value) {
            return put("ElementName", value);
        }

        Rasd hostResource(String value) {
            return put("HostResource", value);
        }

        Rasd instanceId(int value) {
            return put("InstanceID", value);
        }

        Rasd parent(Integer value) {
            return put("Parent", value);
        }

        Rasd resourceSubType(String value) {
            return put("ResourceSubType", value);
        }

        Rasd resourceType(int value) {
            return put("ResourceType", value);
        }

        Rasd virtualQuantity(long value) {
            return put("VirtualQuantity", value);
        }
    }
}
