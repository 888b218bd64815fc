package io.vcc.ovf;

import io.vcc.ovf.OvfException.Reason;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.ext.DefaultHandler2;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Parses untrusted XML into an {@link XmlElement} tree with the JDK's own SAX parser.
 *
 * <p>Secure processing is on and external entities, external DTDs and XInclude are off; on top of that any
 * DOCTYPE is refused the moment the parser reaches it, before its internal subset is read, so neither
 * XXE nor entity-expansion bombs ever get an entity declared. The refusal is ours, rather than the parser's
 * {@code disallow-doctype-decl} error, so it is reported as {@link Reason#UNSAFE_XML} instead of a localized
 * parse message we would have to guess at.
 */
final class SecureXml {

    private SecureXml() {
    }

    static XmlElement parse(byte[] document, int maxDepth) {
        return parse(new ByteArrayInputStream(document), maxDepth);
    }

    static XmlElement parse(InputStream document, int maxDepth) {
        TreeBuilder builder = new TreeBuilder(maxDepth);
        try {
            // A factory per parse: JAXP factories are not thread-safe, and descriptors are parsed rarely.
            XMLReader reader = newFactory().newSAXParser().getXMLReader();
            reader.setContentHandler(builder);
            reader.setErrorHandler(builder);
            reader.setEntityResolver(builder);
            reader.setDTDHandler(builder);
            reader.setProperty("http://xml.org/sax/properties/lexical-handler", builder);
            reader.setProperty("http://xml.org/sax/properties/declaration-handler", builder);
            reader.parse(new InputSource(document));
        } catch (Refused refused) {
            throw refused.problem;
        } catch (SAXParseException e) {
            throw new OvfException(Reason.MALFORMED_DESCRIPTOR, "not well-formed XML at line " + e.getLineNumber()
                    + ", column " + e.getColumnNumber() + ": " + e.getMessage(), e);
        } catch (SAXException | IOException e) {
            throw new OvfException(Reason.MALFORMED_DESCRIPTOR, "unreadable XML: " + e.getMessage(), e);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's SAX parser cannot be configured securely", e);
        }
        if (builder.root == null) {
            throw new OvfException(Reason.MALFORMED_DESCRIPTOR, "no root element");
        }
        return builder.root;
    }

    private static SAXParserFactory newFactory() {
        // newDefaultInstance: the JDK's parser, whose secure configuration we know, whatever is on the classpath.
        SAXParserFactory factory = SAXParserFactory.newDefaultInstance();
        factory.setNamespaceAware(true);
        factory.setValidating(false);
        factory.setXIncludeAware(false);
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the JDK's SAX parser lacks a required security feature", e);
        }
        return factory;
    }

    /** Carries our refusal through the parser, which only lets SAXExceptions out of a handler. */
    private static final class Refused extends SAXException {
        private static final long serialVersionUID = 1L;
        private final transient OvfException problem;

        Refused(OvfException problem) {
            super(problem.getMessage());
            this.problem = problem;
        }
    }

    private static final class TreeBuilder extends DefaultHandler2 {
        private static final Set<String> PREDEFINED_ENTITIES = Set.of("amp", "lt", "gt", "quot", "apos");

        private final int maxDepth;
        private final Deque<XmlElement> open = new ArrayDeque<>();
        private XmlElement root;

        TreeBuilder(int maxDepth) {
            this.maxDepth = maxDepth;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes)
                throws SAXException {
            if (open.size() >= maxDepth) {
                throw new Refused(new OvfException(Reason.TOO_LARGE, "elements nested deeper than " + maxDepth));
            }
            XmlElement element = new XmlElement(uri, localName);
            for (int i = 0; i < attributes.getLength(); i++) {
                element.putAttribute(attributes.getURI(i), attributes.getLocalName(i), attributes.getValue(i));
            }
            if (open.isEmpty()) {
                root = element;
            } else {
                open.peek().addChild(element);
            }
            open.push(element);
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            open.pop();
        }

        @Override
        public void characters(char[] chars, int start, int length) {
            if (!open.isEmpty()) {
                open.peek().appendText(chars, start, length);
            }
        }

        @Override
        public void startDTD(String name, String publicId, String systemId) throws SAXException {
            throw unsafe("a DOCTYPE declaration; OVF descriptors never need one");
        }

        @Override
        public void startEntity(String name) throws SAXException {
            // The parser reports &amp; and friends here too; only a declared entity could be anything else.
            if (!PREDEFINED_ENTITIES.contains(name)) {
                throw unsafe("entity '" + name + "'");
            }
        }

        @Override
        public void internalEntityDecl(String name, String value) throws SAXException {
            throw unsafe("an entity declaration");
        }

        @Override
        public void externalEntityDecl(String name, String publicId, String systemId) throws SAXException {
            throw unsafe("an external entity declaration");
        }

        @Override
        public void skippedEntity(String name) throws SAXException {
            throw unsafe("entity reference '" + name + "'");
        }

        @Override
        public void notationDecl(String name, String publicId, String systemId) throws SAXException {
            throw unsafe("a notation declaration");
        }

        @Override
        public void unparsedEntityDecl(String name, String publicId, String systemId, String notation)
                throws SAXException {
            throw unsafe("an unparsed entity declaration");
        }

        @Override
        public InputSource resolveEntity(String name, String publicId, String baseURI, String systemId)
                throws SAXException {
            throw unsafe("a reference to external resource '" + systemId + "'");
        }

        @Override
        public InputSource resolveEntity(String publicId, String systemId) throws SAXException {
            throw unsafe("a reference to external resource '" + systemId + "'");
        }

        @Override
        public InputSource getExternalSubset(String name, String baseURI) {
            return null;
        }

        @Override
        public void warning(SAXParseException e) {
            // Warnings do not make a document unsafe or ill-formed.
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }

        private static Refused unsafe(String what) {
            return new Refused(new OvfException(Reason.UNSAFE_XML, "descriptor contains " + what));
        }
    }
}
