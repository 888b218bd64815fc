package io.vcc.node.adapter.libvirt;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * Libvirt domain XML, both ways, through the DOM: names come from users, so nothing is spliced into text.
 * Reading refuses DTDs and external entities; libvirt never sends them, and a domain defined by someone
 * else on the same host must not make the node read files.
 */
final class DomainXml {

    /** Our namespace in {@code <metadata>}; libvirt keeps one element per namespace and gives it back verbatim. */
    static final String NAMESPACE = "urn:vcc:node:libvirt:1";
    private static final long KIB = 1024;
    private static final long MIB = KIB * KIB;

    private DomainXml() {
    }

    /** The domain's name on the host: VM names are unique per VDC only, libvirt's per host. */
    static String domainName(UUID id) {
        return "vcc-" + id;
    }

    static String write(DomainDefinition vm, String domainType) {
        Document doc = newBuilder().newDocument();
        Element domain = doc.createElement("domain");
        domain.setAttribute("type", domainType);
        doc.appendChild(domain);
        text(domain, "name", domainName(vm.id()));
        text(domain, "uuid", vm.id().toString());
        DomainDefinition.Owner owner = vm.owner();
        text(domain, "title", owner.vmName());
        Element metadata = child(domain, "metadata");
        Element ours = doc.createElementNS(NAMESPACE, "vcc:vm");
        ours.setAttribute("vdc", owner.vdcId());
        ours.setAttribute("vapp", owner.vappId());
        ours.setAttribute("vapp-name", owner.vappName());
        ours.setAttribute("name", owner.vmName());
        if (owner.template()) {
            ours.setAttribute("template", "true");
        }
        if (owner.importKey() != null) {
            ours.setAttribute("import", owner.importKey());
        }
        for (DomainDefinition.Nic nic : vm.nics()) {
            // The VDC network and address of a NIC on a segment: libvirt's interface has no place for them.
            if (nic.vni() != null || nic.ip() != null) {
                Element placed = doc.createElementNS(NAMESPACE, "vcc:nic");
                placed.setAttribute("mac", nic.mac());
                placed.setAttribute("network", nic.network());
                if (nic.ip() != null) {
                    placed.setAttribute("ip", nic.ip());
                }
                if (nic.vni() != null) {
                    placed.setAttribute("vni", nic.vni().toString());
                }
                ours.appendChild(placed);
            }
        }
        metadata.appendChild(ours);
        text(domain, "memory", Long.toString(vm.memoryMb())).setAttribute("unit", "MiB");
        text(domain, "vcpu", Integer.toString(vm.cpus()));
        text(child(domain, "os"), "type", "hvm");
        Element devices = child(domain, "devices");
        for (int i = 0; i < vm.disks().size(); i++) {
            Element disk = child(devices, "disk");
            disk.setAttribute("type", "file");
            disk.setAttribute("device", "disk");
            Element driver = child(disk, "driver");
            driver.setAttribute("name", "qemu");
            driver.setAttribute("type", "raw");
            child(disk, "source").setAttribute("file", vm.disks().get(i).toString());
            Element target = child(disk, "target");
            target.setAttribute("dev", "vd" + (char) ('a' + i));
            target.setAttribute("bus", "virtio");
        }
        for (DomainDefinition.Nic nic : vm.nics()) {
            Element iface = child(devices, "interface");
            iface.setAttribute("type", nic.vni() == null ? "network" : "bridge");
            child(iface, "mac").setAttribute("address", nic.mac());
            if (nic.vni() == null) {
                child(iface, "source").setAttribute("network", nic.network());
            } else {
                child(iface, "source").setAttribute("bridge", SegmentBridges.bridge(nic.vni()));
            }
            if (nic.mtu() != null) {
                child(iface, "mtu").setAttribute("size", nic.mtu().toString());
            }
            child(iface, "model").setAttribute("type", "virtio");
        }
        try {
            Transformer transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(doc), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException("Cannot write the domain XML of VM " + vm.id(), e);
        }
    }

    /** The domain's hardware; file disks and network NICs only (what this adapter creates). */
    static DomainDefinition read(String xml) {
        Element domain;
        try {
            domain = newBuilder().parse(new InputSource(new StringReader(xml))).getDocumentElement();
        } catch (SAXException | IOException e) {
            throw new VccProblemException(ProblemType.INTERNAL, "libvirt gave domain XML this node cannot read: " + e.getMessage(), e);
        }
        UUID id = UUID.fromString(childText(domain, "uuid"));
        List<Path> disks = new ArrayList<>();
        List<DomainDefinition.Nic> nics = new ArrayList<>();
        Element devices = firstChild(domain, "devices");
        if (devices != null) {
            for (Element disk : children(devices, "disk")) {
                Element source = firstChild(disk, "source");
                if ("file".equals(disk.getAttribute("type")) && "disk".equals(disk.getAttribute("device"))
                        && source != null && !source.getAttribute("file").isEmpty()) {
                    disks.add(Path.of(source.getAttribute("file")));
                }
            }
            Map<String, Element> placed = placedNics(domain);
            for (Element iface : children(devices, "interface")) {
                Element macElement = firstChild(iface, "mac");
                Element source = firstChild(iface, "source");
                String mac = macElement == null ? null : macElement.getAttribute("address").toLowerCase(Locale.ROOT);
                Element on = mac == null ? null : placed.get(mac);
                if ("network".equals(iface.getAttribute("type"))) {
                    nics.add(new DomainDefinition.Nic(mac, source == null ? null : source.getAttribute("network"),
                            on == null || !on.hasAttribute("ip") ? null : on.getAttribute("ip"), null, null));
                } else if ("bridge".equals(iface.getAttribute("type")) && on != null && on.hasAttribute("vni")) {
                    nics.add(new DomainDefinition.Nic(mac, on.getAttribute("network"), on.hasAttribute("ip") ? on.getAttribute("ip") : null,
                            Integer.valueOf(on.getAttribute("vni")), mtu(iface)));
                }
            }
        }
        return new DomainDefinition(id, owner(domain), (int) number(childText(domain, "vcpu")),
                memoryMb(firstChild(domain, "memory")), disks, nics);
    }

    private static Integer mtu(Element iface) {
        Element mtu = firstChild(iface, "mtu");
        return mtu == null || mtu.getAttribute("size").isEmpty() ? null : Integer.valueOf(mtu.getAttribute("size"));
    }

    /** Our record of each NIC placed on a VDC network with an address or a segment, by MAC. */
    private static Map<String, Element> placedNics(Element domain) {
        Map<String, Element> placed = new HashMap<>();
        Element metadata = firstChild(domain, "metadata");
        if (metadata != null) {
            NodeList nics = metadata.getElementsByTagNameNS(NAMESPACE, "nic");
            for (int i = 0; i < nics.getLength(); i++) {
                Element nic = (Element) nics.item(i);
                placed.put(nic.getAttribute("mac").toLowerCase(Locale.ROOT), nic);
            }
        }
        return placed;
    }

    private static DomainDefinition.Owner owner(Element domain) {
        Element metadata = firstChild(domain, "metadata");
        if (metadata == null) {
            return null;
        }
        NodeList ours = metadata.getElementsByTagNameNS(NAMESPACE, "vm");
        if (ours.getLength() == 0) {
            return null;
        }
        Element vm = (Element) ours.item(0);
        return new DomainDefinition.Owner(vm.getAttribute("vdc"), vm.getAttribute("vapp"), vm.getAttribute("vapp-name"),
                vm.getAttribute("name"), "true".equals(vm.getAttribute("template")),
                vm.hasAttribute("import") ? vm.getAttribute("import") : null);
    }

    private static long memoryMb(Element memory) {
        if (memory == null) {
            return 0;
        }
        long value = number(memory.getTextContent());
        String unit = memory.getAttribute("unit");
        long bytes = switch (unit.isEmpty() ? "kib" : unit.toLowerCase(Locale.ROOT)) {
            case "b", "bytes" -> value;
            case "k", "kib" -> value * KIB;
            case "m", "mib" -> value * MIB;
            case "g", "gib" -> value * MIB * KIB;
            case "kb" -> value * 1000;
            case "mb" -> value * 1000 * 1000;
            case "gb" -> value * 1000 * 1000 * 1000;
            default -> throw new VccProblemException(ProblemType.INTERNAL, "Domain memory in unknown unit '" + unit + "'");
        };
        return bytes / MIB;
    }

    private static long number(String text) {
        try {
            return text == null ? 0 : Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static DocumentBuilder newBuilder() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("No secure XML parser available", e);
        }
    }

    private static Element child(Element parent, String name) {
        Element element = parent.getOwnerDocument().createElement(name);
        parent.appendChild(element);
        return element;
    }

    private static Element text(Element parent, String name, String text) {
        Element element = child(parent, name);
        element.setTextContent(text);
        return element;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && name.equals(element.getLocalName() == null ? element.getTagName() : element.getLocalName())
                    && element.getNamespaceURI() == null) {
                found.add(element);
            }
        }
        return found;
    }

    private static Element firstChild(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static String childText(Element parent, String name) {
        Element element = firstChild(parent, name);
        return element == null ? null : element.getTextContent();
    }
}
