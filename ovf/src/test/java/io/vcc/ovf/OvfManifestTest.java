package io.vcc.ovf;

import io.vcc.ovf.OvfException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OvfManifestTest {

    private static final String SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final String SHA1 = "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3";

    @ParameterizedTest
    @ValueSource(strings = {
            "SHA256(disk1.vmdk)= " + SHA256,
            "SHA256(disk1.vmdk) = " + SHA256,
            "SHA256 (disk1.vmdk) = " + SHA256,
            "SHA256(disk1.vmdk)=" + SHA256,
            "  sha256(disk1.vmdk)=  " + SHA256 + "  ",
    })
    void readsTheSpacingVariantsToolsEmit(String line) {
        OvfManifest manifest = OvfManifest.parse(bytes(line + "\n"));

        assertThat(manifest.entries()).containsExactly(new ManifestEntry(OvfDigestAlgorithm.SHA256, "disk1.vmdk", SHA256));
    }

    @Test
    void readsSha1Sha512MixedLinesCrLfAndAByteOrderMark() {
        String sha512 = "ee26b0dd4af7e749aa1a8ee3c10ae9923f618980772e473f8819a5d4940e0db27ac185f8a0e1d5f84f88bc887fd67b143732c304cc5fa9ad8e6f57f50028a8ff";
        String text = "\uFEFFSHA1 (a.ovf) = " + SHA1.toUpperCase() + "\r\n\r\nSHA512(b (copy).vmdk)= " + sha512 + "\r\n";

        OvfManifest manifest = OvfManifest.parse(bytes(text));

        assertThat(manifest.entries()).containsExactly(
                new ManifestEntry(OvfDigestAlgorithm.SHA1, "a.ovf", SHA1),
                new ManifestEntry(OvfDigestAlgorithm.SHA512, "b (copy).vmdk", sha512));
    }

    @Test
    void writesSha256LinesTheWayOvftoolDoes() {
        OvfManifest manifest = new OvfManifest(List.of(new ManifestEntry(OvfDigestAlgorithm.SHA256, "a.ovf", SHA256),
                new ManifestEntry(OvfDigestAlgorithm.SHA256, "disks/b.vmdk", SHA256)));

        assertThat(new String(manifest.toBytes(), StandardCharsets.UTF_8))
                .isEqualTo("SHA256(a.ovf)= " + SHA256 + "\nSHA256(disks/b.vmdk)= " + SHA256 + "\n");
        assertThat(OvfManifest.parse(manifest.toBytes())).isEqualTo(manifest);
    }

    @Test
    void refusesMalformedLines() {
        assertReason("not a manifest line", Reason.MALFORMED_MANIFEST);
        assertReason("SHA256(a.vmdk)= " + SHA1, Reason.MALFORMED_MANIFEST);
        assertReason("SHA256(a.vmdk)= " + SHA256.substring(1) + "g", Reason.MALFORMED_MANIFEST);
        assertReason("SHA256(a.vmdk)= " + SHA256 + "\nSHA1(a.vmdk)= " + SHA1, Reason.MALFORMED_MANIFEST);
        assertThatThrownBy(() -> OvfManifest.parse(new byte[] {(byte) 0xff, (byte) 0xfe, 'x'}))
                .isInstanceOfSatisfying(OvfException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_MANIFEST));
    }

    @Test
    void refusesUnknownAlgorithmsAsUnsupported() {
        assertReason("MD5(a.vmdk)= d41d8cd98f00b204e9800998ecf8427e", Reason.UNSUPPORTED);
    }

    @Test
    void refusesNamesThatLeaveThePackage() {
        assertReason("SHA256(../../etc/shadow)= " + SHA256, Reason.PATH_TRAVERSAL);
        assertReason("SHA256(/etc/shadow)= " + SHA256, Reason.PATH_TRAVERSAL);
    }

    @Test
    void findsEntriesByNormalisedName() {
        OvfManifest manifest = OvfManifest.parse(bytes("SHA1(./a.vmdk)= " + SHA1));

        assertThat(manifest.entry("a.vmdk")).isPresent();
        assertThat(manifest.entry("./a.vmdk")).isPresent();
        assertThat(manifest.entry("b.vmdk")).isEmpty();
    }

    private static void assertReason(String text, Reason reason) {
        assertThatThrownBy(() -> OvfManifest.parse(bytes(text)))
                .isInstanceOfSatisfying(OvfException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
