package io.vcc.ovf;

import io.vcc.ovf.OvfException.Reason;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.vcc.ovf.OvfNamespaces.OVF_0_9;
import static io.vcc.ovf.OvfNamespaces.OVF_1;
import static io.vcc.ovf.OvfNamespaces.OVF_2;
import static io.vcc.ovf.OvfNamespaces.VBOX;
import static io.vcc.ovf.OvfNamespaces.VMW;

/**
 * Reads OVF 1.x and 2.x descriptors into an {@link OvfEnvelope}. Thread-safe.
 *
 * <p>Where a descriptor offers deployment options ({@code DeploymentOptionSection}), the hardware of one of them is
 * read: the one asked for, else the {@code ovf:default="true"} one, else the first. Items for other
 * configurations are skipped; items sharing an {@code InstanceID} are combined as DSP0243 says (a later item's
 * properties replace an earlier one's), which is how profiles override a common item. Extension
 * sections marked {@code ovf:required="false"} (VMware's, VirtualBox's) are skipped; a required extension we
 * do not understand is refused, as DSP0243 demands of a consumer.
 */
public final class OvfDescriptorReader {

    private final OvfLimits limits;

    public OvfDescriptorReader() {
        this(OvfLimits.defaults());
    }

    public OvfDescriptorReader(OvfLimits limits) {
        this.limits = limits;
    }

    /** The descriptor with its default deployment option's hardware (when it offers options). */
    public OvfEnvelope read(byte[] descriptor) {
        return read(descriptor, null);
    }

    /**
     * The descriptor with the hardware of deployment option {@code deploymentOption}, or of its default one when
     * that is {@code null}.
     *
     * @throws OvfException {@link Reason#UNKNOWN_DEPLOYMENT_OPTION} when the descriptor does not offer that option
     */
    public OvfEnvelope read(byte[] descriptor, String deploymentOption) {
        return readChoosing(descriptor, deploymentOption).envelope();
    }

    /** The deployment options the descriptor offers, in descriptor order; empty when it has none. */
    public List<DeploymentOption> deploymentOptions(byte[] descriptor) {
        return deploymentOptions(parse(descriptor));
    }

    /** A descriptor read with one deployment option: the envelope, and which option it is ({@code null}: none offered). */
    record Chosen(OvfEnvelope envelope, String deploymentOption) {
    }

    Chosen readChoosing(byte[] descriptor, String deploymentOption) {
        XmlElement root = parse(descriptor);
        try {
            String configuration = choose(deploymentOptions(root), deploymentOption);
            return new Chosen(readEnvelope(root, configuration), configuration);
        } catch (IllegalArgumentException inconsistent) {
            throw new OvfException(Reason.MALFORMED_DESCRIPTOR, inconsistent.getMessage(), inconsistent);
        }
    }

    private XmlElement parse(byte[] descriptor) {
        if (descriptor.length > limits.maxDescriptorBytes()) {
            throw tooLarge(descriptor.length);
        }
        return SecureXml.parse(descriptor, limits.maxXmlDepth());
    }

    /** Reads at most {@link OvfLimits#maxDescriptorBytes()} from {@code in}; does not close it. */
    public OvfEnvelope read(InputStream in) throws IOException {
        return read(Streams.readBounded(in, limits.maxDescriptorBytes(), "descriptor"));
    }

    public OvfEnvelope read(Path descriptor) throws IOException {
        long size = Files.size(descriptor);
        if (size > limits.maxDescriptorBytes()) {
            throw tooLarge(size);
        }
        try (InputStream in = Files.newInputStream(descriptor)) {
            return read(in);
        }
    }

    private OvfException tooLarge(long size) {
        return new OvfException(Reason.TOO_LARGE,
                "descriptor of " + size + " bytes exceeds the limit of " + limits.maxDescriptorBytes());
    }

    /** The envelope's OVF namespace, once it is known to be a supported envelope. */
    private static String envelopeNamespace(XmlElement root) {
        if (!root.localName().equals("Envelope")) {
            throw new OvfException(Reason.MALFORMED_DESCRIPTOR, "root element is " + root + ", not an OVF Envelope");
        }
        String ovf = root.namespace();
        if (ovf.equals(OVF_0_9)) {
            throw new OvfException(Reason.UNSUPPORTED, "OVF 0.9 descriptors are not supported; re-export as OVF 1.0+");
        }
        if (!ovf.equals(OVF_1) && !ovf.equals(OVF_2)) {
            throw new OvfException(Reason.UNSUPPORTED, "unknown envelope namespace '" + ovf + "'");
        }
        return ovf;
    }

    private OvfEnvelope readEnvelope(XmlElement root, String configuration) {
        String ovf = envelopeNamespace(root);
        refuseRequiredExtensions(root, ovf);
        List<FileReference> files = readReferences(root, ovf);
        List<VirtualDisk> disks = readDisks(root, ovf);
        List<OvfNetwork> networks = readNetworks(root, ovf);
        List<XmlElement> contents = contentElements(root, ovf);
        if (contents.size() != 1) {
            throw new OvfException(Reason.MALFORMED_DESCRIPTOR, "an envelope holds exactly one VirtualSystem or "
                    + "VirtualSystemCollection, this one " + contents.size());
        }
        OvfContent content = readContent(contents.get(0), ovf, configuration);
        return new OvfEnvelope(files, disks, networks, content);
    }

    private List<FileReference> readReferences(XmlElement root, String ovf) {
        List<FileReference> files = new ArrayList<>();
        Optional<XmlElement> references = root.child(ovf, "References");
        if (references.isEmpty()) {
            return files;
        }
        List<XmlElement> fileElements = references.get().children(ovf, "File");
        if (fileElements.size() > limits.maxMembers()) {
            throw new OvfException(Reason.TOO_LARGE, "References lists " + fileElements.size()
                    + " files, more than the limit of " + limits.maxMembers());
        }
        for (XmlElement file : fileElements) {
            String id = required(file, ovf, "id", "File");
            if (file.ovfAttribute(ovf, "chunkSize") != null) {
                throw new OvfException(Reason.UNSUPPORTED, "file '" + id + "' is split into chunks (ovf:chunkSize)");
            }
            files.add(new FileReference(id, required(file, ovf, "href", "File"),
                    optionalLong(file.ovfAttribute(ovf, "size"), "size of file " + id),
                    file.ovfAttribute(ovf, "compression")));
        }
        return files;
    }

    private List<VirtualDisk> readDisks(XmlElement root, String ovf) {
        List<VirtualDisk> disks = new ArrayList<>();
        for (XmlElement section : root.children(ovf, "DiskSection")) {
            for (XmlElement disk : section.children(ovf, "Disk")) {
                String diskId = required(disk, ovf, "diskId", "Disk");
                if (disk.ovfAttribute(ovf, "parentRef") != null) {
                    throw new OvfException(Reason.UNSUPPORTED, "disk '" + diskId + "' is a delta of another disk");
                }
                String capacity = required(disk, ovf, "capacity", "Disk");
                if (capacity.startsWith("${")) {
                    throw new OvfException(Reason.UNSUPPORTED,
                            "capacity of disk '" + diskId + "' comes from a deployment property");
                }
                long capacityBytes = AllocationUnits.toBytes(parseLong(capacity, "capacity of disk " + diskId),
                        disk.ovfAttribute(ovf, "capacityAllocationUnits"));
                disks.add(new VirtualDisk(diskId, disk.ovfAttribute(ovf, "fileRef"), capacityBytes,
                        disk.ovfAttribute(ovf, "format"),
                        optionalLong(disk.ovfAttribute(ovf, "populatedSize"), "populated size of disk " + diskId)));
            }
        }
        return disks;
    }

    private static List<OvfNetwork> readNetworks(XmlElement root, String ovf) {
        List<OvfNetwork> networks = new ArrayList<>();
        for (XmlElement section : root.children(ovf, "NetworkSection")) {
            for (XmlElement network : section.children(ovf, "Network")) {
                networks.add(new OvfNetwork(required(network, ovf, "name", "Network"),
                        network.childText(ovf, "Description")));
            }
        }
        return networks;
    }

    private static List<DeploymentOption> deploymentOptions(XmlElement root) {
        String ovf = envelopeNamespace(root);
        Optional<XmlElement> section = root.child(ovf, "DeploymentOptionSection");
        if (section.isEmpty()) {
            return List.of();
        }
        List<XmlElement> configurations = section.get().children(ovf, "Configuration");
        int byDefault = 0;
        for (int i = 0; i < configurations.size(); i++) {
            if ("true".equals(configurations.get(i).ovfAttribute(ovf, "default"))) {
                byDefault = i;
                break;
            }
        }
        List<DeploymentOption> options = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < configurations.size(); i++) {
            XmlElement configuration = configurations.get(i);
            String id = required(configuration, ovf, "id", "Configuration");
            if (!ids.add(id)) {
                throw new OvfException(Reason.MALFORMED_DESCRIPTOR, "deployment option '" + PackagePaths.printable(id)
                        + "' is declared twice");
            }
            options.add(new DeploymentOption(id, configuration.childText(ovf, "Label"), i == byDefault));
        }
        return options;
    }

    /** The option asked for when offered, else the default; {@code null} when the descriptor offers none. */
    private static String choose(List<DeploymentOption> options, String requested) {
        if (requested == null) {
            return options.stream().filter(DeploymentOption::isDefault).map(DeploymentOption::id).findFirst().orElse(null);
        }
        if (options.stream().noneMatch(option -> option.id().equals(requested))) {
            throw new OvfException(Reason.UNKNOWN_DEPLOYMENT_OPTION, "deployment option '"
                    + PackagePaths.printable(requested) + "' is not offered; "
                    + (options.isEmpty() ? "the package has no deployment options"
                    : "the package offers " + String.join(", ", options.stream().map(DeploymentOption::id).toList())));
        }
        return requested;
    }

    private static List<XmlElement> contentElements(XmlElement parent, String ovf) {
        List<XmlElement> contents = new ArrayList<>();
        for (XmlElement child : parent.children()) {
            if (child.is(ovf, "VirtualSystem") || child.is(ovf, "VirtualSystemCollection")) {
                contents.add(child);
            }
        }
        return contents;
    }

    private OvfContent readContent(XmlElement element, String ovf, String configuration) {
        refuseRequiredExtensions(element, ovf);
        String id = required(element, ovf, "id", element.localName());
        String name = element.childText(ovf, "Name");
        ProductInfo product = readProduct(element, ovf);
        if (element.localName().equals("VirtualSystemCollection")) {
            List<OvfContent> members = new ArrayList<>();
            for (XmlElement member : contentElements(element, ovf)) {
                members.add(readContent(member, ovf, configuration));
            }
            return new VirtualSystemCollection(id, name, product, members);
        }
        XmlElement hardware = element.child(ovf, "VirtualHardwareSection").orElseThrow(() -> new OvfException(
                Reason.MALFORMED_DESCRIPTOR, "virtual system '" + id + "' has no VirtualHardwareSection"));
        VirtualHardware virtualHardware = new VirtualHardwareReader(ovf, configuration)
                .read(id, hardware, virtualBoxMacs(element));
        return new VirtualSystem(id, name, product, readOs(element, ovf, id), virtualHardware);
    }

    /** The ProductSection without {@code ovf:class} (the product itself, not a bundled component), else the first. */
    private static ProductInfo readProduct(XmlElement element, String ovf) {
        List<XmlElement> products = element.children(ovf, "ProductSection");
        if (products.isEmpty()) {
            return null;
        }
        XmlElement chosen = products.stream().filter(p -> p.ovfAttribute(ovf, "class") == null).findFirst()
                .orElse(products.get(0));
        return new ProductInfo(chosen.childText(ovf, "Product"), chosen.childText(ovf, "Vendor"),
                chosen.childText(ovf, "Version"), chosen.childText(ovf, "FullVersion"),
                chosen.childText(ovf, "ProductUrl"), chosen.childText(ovf, "VendorUrl"));
    }

    private static GuestOs readOs(XmlElement system, String ovf, String systemId) {
        Optional<XmlElement> section = system.child(ovf, "OperatingSystemSection");
        if (section.isEmpty()) {
            return null;
        }
        XmlElement os = section.get();
        int cimId = (int) Math.min(Integer.MAX_VALUE,
                parseLong(required(os, ovf, "id", "OperatingSystemSection"), "OS type of " + systemId));
        String vendorType = os.attribute(VMW, "osType");
        if (vendorType == null) {
            vendorType = os.attribute(ovf, "osType");
        }
        if (vendorType == null) {
            vendorType = os.childText(VBOX, "OSType");
        }
        return new GuestOs(cimId, os.childText(ovf, "Description"), vendorType);
    }

    /**
     * VirtualBox keeps MAC addresses only in its own {@code vbox:Machine} section, one {@code Adapter} per
     * slot; the OVF items are its enabled adapters in slot order.
     */
    private static List<String> virtualBoxMacs(XmlElement system) {
        List<String> macs = new ArrayList<>();
        system.child(VBOX, "Machine")
                .flatMap(machine -> machine.childAnyNamespace("Hardware"))
                .flatMap(hardware -> hardware.childAnyNamespace("Network"))
                .ifPresent(network -> network.children().stream()
                        .filter(adapter -> adapter.localName().equals("Adapter"))
                        .filter(adapter -> "true".equals(adapter.attribute("", "enabled")))
                        .sorted((a, b) -> Long.compare(slot(a), slot(b)))
                        .forEach(adapter -> macs.add(adapter.attribute("", "MACAddress"))));
        return macs;
    }

    private static long slot(XmlElement adapter) {
        try {
            return Long.parseLong(adapter.attribute("", "slot"));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    static String required(XmlElement element, String ovf, String attribute, String what) {
        String value = element.ovfAttribute(ovf, attribute);
        if (value == null || value.isBlank()) {
            throw new OvfException(Reason.MALFORMED_DESCRIPTOR, what + " lacks ovf:" + attribute);
        }
        return value.strip();
    }

    static long parseLong(String value, String what) {
        try {
            long parsed = Long.parseLong(value.strip());
            if (parsed < 0) {
                throw new OvfException(Reason.MALFORMED_DESCRIPTOR, what + " is negative");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new OvfException(Reason.MALFORMED_DESCRIPTOR, what + " is not a number: '"
                    + PackagePaths.printable(value) + "'");
        }
    }

    private static Long optionalLong(String value, String what) {
        return value == null || value.isBlank() ? null : parseLong(value, what);
    }

    /** DSP0243's rule for extensions: skip optional ones, refuse required ones we do not know. */
    private static void refuseRequiredExtensions(XmlElement parent, String ovf) {
        for (XmlElement child : parent.children()) {
            if (!child.namespace().equals(ovf) && !"false".equals(child.ovfAttribute(ovf, "required"))) {
                throw new OvfException(Reason.UNSUPPORTED, "required extension " + child + " in " + parent
                        + " is not understood");
            }
        }
    }
}
