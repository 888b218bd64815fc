package io.vcc.ovf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A parsed XML element: just enough of a tree to walk a descriptor without a DOM. */
final class XmlElement {

    private final String namespace;
    private final String localName;
    private final Map<String, String> attributes = new HashMap<>();
    private final List<XmlElement> children = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();

    XmlElement(String namespace, String localName) {
        this.namespace = namespace == null ? "" : namespace;
        this.localName = localName;
    }

    String namespace() {
        return namespace;
    }

    String localName() {
        return localName;
    }

    boolean is(String namespace, String localName) {
        return this.namespace.equals(namespace) && this.localName.equals(localName);
    }

    void putAttribute(String namespace, String localName, String value) {
        attributes.put(key(namespace, localName), value);
    }

    void addChild(XmlElement child) {
        children.add(child);
    }

    void appendText(char[] chars, int start, int length) {
        text.append(chars, start, length);
    }

    /** The attribute, or {@code null}. */
    String attribute(String namespace, String localName) {
        return attributes.get(key(namespace, localName));
    }

    /**
     * An OVF attribute such as {@code ovf:id}; falls back to the unqualified form, which some hand-edited
     * descriptors use and every importer accepts.
     */
    String ovfAttribute(String ovfNamespace, String localName) {
        String qualified = attribute(ovfNamespace, localName);
        return qualified != null ? qualified : attribute("", localName);
    }

    List<XmlElement> children() {
        return children;
    }

    List<XmlElement> children(String namespace, String localName) {
        List<XmlElement> matching = new ArrayList<>();
        for (XmlElement child : children) {
            if (child.is(namespace, localName)) {
                matching.add(child);
            }
        }
        return matching;
    }

    Optional<XmlElement> child(String namespace, String localName) {
        for (XmlElement child : children) {
            if (child.is(namespace, localName)) {
                return Optional.of(child);
            }
        }
        return Optional.empty();
    }

    /** The first child with this local name in any namespace: RASD, EPASD and SASD items share their names. */
    Optional<XmlElement> childAnyNamespace(String localName) {
        for (XmlElement child : children) {
            if (child.localName.equals(localName)) {
                return Optional.of(child);
            }
        }
        return Optional.empty();
    }

    /** Trimmed text content, or {@code null} when blank. */
    String text() {
        String trimmed = text.toString().strip();
        return trimmed.isEmpty() ? null : trimmed;
    }

    /** Trimmed text of the named child, or {@code null}. */
    String childText(String namespace, String localName) {
        return child(namespace, localName).map(XmlElement::text).orElse(null);
    }

    String childTextAnyNamespace(String localName) {
        return childAnyNamespace(localName).map(XmlElement::text).orElse(null);
    }

    private static String key(String namespace, String localName) {
        return namespace == null || namespace.isEmpty() ? localName : "{" + namespace + "}" + localName;
    }

    @Override
    public String toString() {
        return "{" + namespace + "}" + localName;
    }
}
