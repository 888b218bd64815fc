package io.vcc.ovf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The computed OVA layout must be byte for byte what the writer streams, in whole and in any range. */
class OvaLayoutTest {

    @TempDir
    Path tmp;

    @Test
    void layoutIsTheWritersBytesAndAnyRangeOfThem() throws IOException {
        Files.write(tmp.resolve("a.vmdk"), OvfSamples.diskBytes((1 << 20) + 777, 1));
        String longName = "b-" + "x".repeat(120) + ".vmdk";
        Files.write(tmp.resolve(longName), OvfSamples.diskBytes(10_000, 2));
        new OvfPackageWriter().write(tmp, "vm.ovf", OvfSamples.twoDiskVm("a.vmdk", longName), OvfSamples.signer());
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        new OvaWriter().write(tmp.resolve("vm.ovf"), written);
        byte[] expected = written.toByteArray();

        OvaLayout layout = OvaLayout.of(tmp.resolve("vm.ovf"));

        assertThat(layout.length()).isEqualTo(expected.length);
        assertThat(range(layout, 0, layout.length())).isEqualTo(expected);
        for (long[] range : new long[][] {{0, 1}, {511, 2}, {1000, 1 << 20}, {expected.length - 10_241, 10_241}, {4096, 0}}) {
            assertThat(range(layout, range[0], range[1])).as("bytes %d+%d", range[0], range[1])
                    .isEqualTo(Arrays.copyOfRange(expected, (int) range[0], (int) (range[0] + range[1])));
        }
        assertThat(layout.etag()).startsWith("\"").hasSize(66);
        assertThat(OvaLayout.of(tmp.resolve("vm.ovf")).etag()).isEqualTo(layout.etag());
    }

    @Test
    void etagChangesWithTheManifest() throws IOException {
        Files.write(tmp.resolve("a.vmdk"), OvfSamples.diskBytes(5000, 1));
        new OvfPackageWriter().write(tmp, "vm.ovf", OvfSamples.singleVm("a.vmdk", null));
        String before = OvaLayout.of(tmp.resolve("vm.ovf")).etag();
        Files.write(tmp.resolve("a.vmdk"), OvfSamples.diskBytes(5000, 2));
        new OvfPackageWriter().write(tmp, "vm.ovf", OvfSamples.singleVm("a.vmdk", null));

        assertThat(OvaLayout.of(tmp.resolve("vm.ovf")).etag()).isNotEqualTo(before);
    }

    @Test
    void aRangeBeyondTheEndIsRefused() throws IOException {
        Files.write(tmp.resolve("a.vmdk"), OvfSamples.diskBytes(5000, 1));
        new OvfPackageWriter().write(tmp, "vm.ovf", OvfSamples.singleVm("a.vmdk", null));
        OvaLayout layout = OvaLayout.of(tmp.resolve("vm.ovf"));

        assertThatThrownBy(() -> layout.write(new ByteArrayOutputStream(), layout.length() - 1, 2))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void descriptorOfAnIncompleteOvaIsReadOnceItsMemberIsComplete() throws IOException {
        Files.write(tmp.resolve("a.vmdk"), OvfSamples.diskBytes(70_000, 1));
        new OvfPackageWriter().write(tmp, "vm.ovf", OvfSamples.singleVm("a.vmdk", null));
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        new OvaWriter().write(tmp.resolve("vm.ovf"), written);
        byte[] ova = written.toByteArray();
        int descriptorEnd = 512 + (int) Files.size(tmp.resolve("vm.ovf"));
        OvaReader reader = new OvaReader();

        assertThat(reader.readDescriptor(new ByteArrayInputStream(ova), 0)).isEmpty();
        assertThat(reader.readDescriptor(new ByteArrayInputStream(ova), 300)).isEmpty();
        assertThat(reader.readDescriptor(new ByteArrayInputStream(ova), descriptorEnd - 1)).isEmpty();
        assertThat(reader.readDescriptor(new ByteArrayInputStream(ova), descriptorEnd)).get()
                .extracting(envelope -> envelope.virtualSystems().get(0).name()).isEqualTo("vm1");
        assertThat(reader.readDescriptor(new ByteArrayInputStream(ova), ova.length)).isPresent();
    }

    @Test
    void descriptorWithAnEntityIsRefusedBeforeTheRestArrives() throws IOException {
        byte[] xxe = ("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<Envelope xmlns=\"http://schemas.dmtf.org/ovf/envelope/1\">&e;</Envelope>").getBytes(StandardCharsets.UTF_8);
        byte[] ova = new TarBuilder().file("evil.ovf", xxe).file("disk.vmdk", new byte[4096]).build();

        assertThatThrownBy(() -> new OvaReader().readDescriptor(new ByteArrayInputStream(ova), 512 + xxe.length))
                .isInstanceOfSatisfying(OvfException.class, e -> assertThat(e.reason()).isEqualTo(OvfException.Reason.UNSAFE_XML));
        assertThatThrownBy(() -> new OvaReader().readDescriptor(new ByteArrayInputStream(
                new TarBuilder().file("disk.vmdk", new byte[10]).build()), 1024))
                .isInstanceOfSatisfying(OvfException.class, e -> assertThat(e.reason()).isEqualTo(OvfException.Reason.MEMBER_ORDER));
    }

    private static byte[] range(OvaLayout layout, long start, long count) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        layout.write(out, start, count);
        return out.toByteArray();
    }
}
