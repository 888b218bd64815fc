package io.vcc.ovf;

import io.vcc.ovf.OvfException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostileDescriptorTest {

    private static final String OVF1 = "http://schemas.dmtf.org/ovf/envelope/1";

    private final OvfDescriptorReader reader = new OvfDescriptorReader();

    @Test
    void refusesXxeWithoutReadingTheEntity(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-42");
        String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE Envelope [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>\n"
                + envelope("<Name>&xxe;</Name>");

        assertThatThrownBy(() -> reader.read(bytes(xxe)))
                .isInstanceOfSatisfying(OvfException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNSAFE_XML);
                    assertThat(e.getMessage()).doesNotContain("TOP-SECRET-42").contains("DOCTYPE");
                });
    }

    @Test
    void refusesParameterEntityFetchingAnExternalDtd() {
        String xml = "<!DOCTYPE Envelope [<!ENTITY % remote SYSTEM \"http://127.0.0.1:9/evil.dtd\"> %remote;]>"
                + envelope("");

        assertReason(xml, Reason.UNSAFE_XML);
    }

    @Test
    void refusesAnExternalDtdReference() {
        assertReason("<!DOCTYPE Envelope SYSTEM \"http://127.0.0.1:9/ovf.dtd\">" + envelope(""), Reason.UNSAFE_XML);
    }

    @Test
    void refusesBillionLaughs() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE Envelope [<!ENTITY lol0 \"lol\">");
        for (int i = 1; i < 10; i++) {
            String previous = "&lol" + (i - 1) + ";";
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(previous.repeat(10)).append("\">");
        }
        dtd.append("]>");

        assertReason(dtd + envelope("<Name>&lol9;</Name>"), Reason.UNSAFE_XML);
    }

    @Test
    void refusesAnUndeclaredEntityAsMalformed() {
        assertReason(envelope("<Name>&undeclared;</Name>"), Reason.MALFORMED_DESCRIPTOR);
    }

    @Test
    void refusesAnOversizedDescriptorBeforeParsingIt() {
        OvfDescriptorReader small = new OvfDescriptorReader(OvfLimits.defaults().withMaxDescriptorBytes(1024));
        String padded = envelope("<!--" + "x".repeat(2000) + "-->");

        assertThatThrownBy(() -> small.read(bytes(padded)))
                .isInstanceOfSatisfying(OvfException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
        assertThatThrownBy(() -> small.read(new ByteArrayInputStream(bytes(padded))))
                .isInstanceOfSatisfying(OvfException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
    }

    @Test
    void refusesAbsurdNesting() {
        String deep = "<a>".repeat(500) + "</a>".repeat(500);

        assertReason(envelope(deep), Reason.TOO_LARGE);
    }

    @Test
    void refusesWhatIsNotXmlOrNotAnEnvelope() {
        assertReason("not xml at all", Reason.MALFORMED_DESCRIPTOR);
        assertReason("<Envelope xmlns=\"" + OVF1 + "\"><References>", Reason.MALFORMED_DESCRIPTOR);
        assertReason("<html/>", Reason.MALFORMED_DESCRIPTOR);
        assertReason("<Envelope xmlns=\"" + OVF1 + "\"/>", Reason.MALFORMED_DESCRIPTOR);
    }

    @Test
    void refusesOvf09AndUnknownNamespacesAsUnsupported() {
        assertReason("<Envelope xmlns=\"http://www.vmware.com/schema/ovf/1/envelope\"/>", Reason.UNSUPPORTED);
        assertReason("<Envelope xmlns=\"urn:something-else\"/>", Reason.UNSUPPORTED);
    }

    @Test
    void refusesHrefsThatLeaveThePackage() {
        assertReason(envelopeWithHref("../../etc/passwd"), Reason.PATH_TRAVERSAL);
        assertReason(envelopeWithHref("/etc/passwd"), Reason.PATH_TRAVERSAL);
        assertReason(envelopeWithHref("disks/../../x.vmdk"), Reason.PATH_TRAVERSAL);
        assertReason(envelopeWithHref("C:/Windows/x.vmdk"), Reason.PATH_TRAVERSAL);
        assertReason(envelopeWithHref("disks\\..\\x.vmdk"), Reason.PATH_TRAVERSAL);
    }

    @Test
    void refusesRemoteHrefsAndChunkedFilesAsUnsupported() {
        assertReason(envelopeWithHref("http://evil.example/disk.vmdk"), Reason.UNSUPPORTED);
        assertReason(envelopeWithHref("file:///etc/passwd"), Reason.UNSUPPORTED);
        String chunked = vm("").replace("<References/>",
                "<References><File ovf:id=\"f\" ovf:href=\"d.vmdk\" ovf:chunkSize=\"1024\"/></References>");
        assertReason(chunked, Reason.UNSUPPORTED);
    }

    @Test
    void refusesARequiredExtensionItDoesNotUnderstand() {
        String required = vm("<x:Magic xmlns:x=\"urn:x\"><Info>must be honoured</Info></x:Magic>");
        String optional = vm("<x:Magic xmlns:x=\"urn:x\" ovf:required=\"false\"><Info>may be ignored</Info></x:Magic>");

        assertReason(required, Reason.UNSUPPORTED);
        assertThat(reader.read(bytes(optional)).virtualSystems()).hasSize(1);
    }

    @Test
    void refusesDanglingReferencesAsMalformed() {
        String missingDisk = vm("").replace("<rasd:ResourceType>4</rasd:ResourceType>",
                "<rasd:ResourceType>4</rasd:ResourceType></Item><Item><rasd:HostResource>ovf:/disk/nope</rasd:HostResource>"
                        + "<rasd:InstanceID>9</rasd:InstanceID><rasd:ResourceType>17</rasd:ResourceType>");
        String badMac = vm("").replace("<rasd:ResourceType>4</rasd:ResourceType>",
                "<rasd:ResourceType>4</rasd:ResourceType></Item><Item><rasd:Address>zz:00</rasd:Address>"
                        + "<rasd:InstanceID>9</rasd:InstanceID><rasd:ResourceType>10</rasd:ResourceType>");

        assertReason(missingDisk, Reason.MALFORMED_DESCRIPTOR);
        assertReason(badMac, Reason.MALFORMED_DESCRIPTOR);
        assertReason(vm("").replace("<rasd:VirtualQuantity>1</rasd:VirtualQuantity>", ""), Reason.MALFORMED_DESCRIPTOR);
    }

    @Test
    void minimalVmParses() {
        OvfEnvelope envelope = reader.read(bytes(vm("")));

        assertThat(envelope.virtualSystems()).singleElement().satisfies(vm -> {
            assertThat(vm.hardware().cpus()).isEqualTo(1);
            assertThat(vm.hardware().memoryBytes()).isEqualTo(256L << 20);
        });
    }

    private void assertReason(String xml, Reason reason) {
        assertThatThrownBy(() -> reader.read(bytes(xml)))
                .isInstanceOfSatisfying(OvfException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static String envelope(String body) {
        return "<Envelope xmlns=\"" + OVF1 + "\" xmlns:ovf=\"" + OVF1 + "\">" + body + "</Envelope>";
    }

    private static String envelopeWithHref(String href) {
        return vm("").replace("<References/>",
                "<References><File ovf:id=\"f\" ovf:href=\"" + href + "\"/></References>");
    }

    /** The smallest valid OVF 1.0 VM, with {@code extra} appended inside VirtualSystem. */
    private static String vm(String extra) {
        return "<Envelope xmlns=\"" + OVF1 + "\" xmlns:ovf=\"" + OVF1 + "\" "
                + "xmlns:rasd=\"http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData\">"
                + "<References/>"
                + "<VirtualSystem ovf:id=\"vm\"><Info>vm</Info><VirtualHardwareSection><Info>hw</Info>"
                + "<Item><rasd:InstanceID>1</rasd:InstanceID><rasd:ResourceType>3</rasd:ResourceType>"
                + "<rasd:VirtualQuantity>1</rasd:VirtualQuantity></Item>"
                + "<Item><rasd:AllocationUnits>MegaBytes</rasd:AllocationUnits><rasd:InstanceID>2</rasd:InstanceID>"
                + "<rasd:ResourceType>4</rasd:ResourceType><rasd:VirtualQuantity>256</rasd:VirtualQuantity></Item>"
                + "</VirtualHardwareSection>" + extra + "</VirtualSystem></Envelope>";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
