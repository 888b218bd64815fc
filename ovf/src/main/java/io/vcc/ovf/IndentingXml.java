package io.vcc.ovf;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A thin, indenting layer over the JDK's {@link XMLStreamWriter}: descriptors are read by people too.
 * Refuses text that XML 1.0 cannot carry instead of writing a document no parser would accept.
 */
final class IndentingXml {

    private final XMLStreamWriter writer;
    /** Per open element: whether it has child elements, so its end tag goes on a line of its own. */
    private final Deque<boolean[]> open = new ArrayDeque<>();

    IndentingXml(OutputStream out) throws XMLStreamException {
        // A factory per document: JAXP factories are not thread-safe.
        this.writer = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(out, "UTF-8");
        writer.writeStartDocument("UTF-8", "1.0");
    }

    void start(String prefix, String localName, String namespace) throws XMLStreamException {
        newLine();
        writer.writeStartElement(prefix, localName, namespace);
        open.push(new boolean[] {false});
    }

    void empty(String prefix, String localName, String namespace) throws XMLStreamException {
        newLine();
        writer.writeEmptyElement(prefix, localName, namespace);
    }

    void namespace(String prefix, String namespace) throws XMLStreamException {
        if (prefix.isEmpty()) {
            writer.writeDefaultNamespace(namespace);
        } else {
            writer.writeNamespace(prefix, namespace);
        }
    }

    void attribute(String prefix, String namespace, String localName, Object value) throws XMLStreamException {
        if (value != null) {
            writer.writeAttribute(prefix, namespace, localName, checked(value.toString()));
        }
    }

    /** An element holding only text; omitted when {@code text} is {@code null}. */
    void leaf(String prefix, String localName, String namespace, Object text) throws XMLStreamException {
        if (text == null) {
            return;
        }
        newLine();
        writer.writeStartElement(prefix, localName, namespace);
        writer.writeCharacters(checked(text.toString()));
        writer.writeEndElement();
    }

    void end() throws XMLStreamException {
        boolean[] hasChildren = open.pop();
        if (hasChildren[0]) {
            writer.writeCharacters("\n" + "  ".repeat(open.size()));
        }
        writer.writeEndElement();
    }

    void finish() throws XMLStreamException {
        writer.writeCharacters("\n");
        writer.writeEndDocument();
        writer.flush();
        writer.close();
    }

    private void newLine() throws XMLStreamException {
        if (!open.isEmpty()) {
            open.peek()[0] = true;
        }
        writer.writeCharacters("\n" + "  ".repeat(open.size()));
    }

    private static String checked(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || Character.isSurrogate(c);
            if (!allowed) {
                throw new IllegalArgumentException("text contains U+" + Integer.toHexString(c)
                        + ", which XML 1.0 cannot represent");
            }
        }
        return text;
    }
}
