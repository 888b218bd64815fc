package io.vcc.ovf;

import io.vcc.ovf.OvfException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every way an OVA can be hostile or broken is refused with its reason, and leaves nothing behind: not
 * outside the target directory, and (the reader cleaning up) not inside it either.
 */
class HostileOvaTest {

    private final byte[] disk = OvfSamples.diskBytes(4096, 3);
    private final byte[] descriptor = new OvfDescriptorWriter().write(OvfSamples.singleVm("disk1.vmdk", null));
    private final String manifest = "SHA256(vm.ovf)= " + OvfSamples.sha256(descriptor) + "\n"
            + "SHA256(disk1.vmdk)= " + OvfSamples.sha256(disk) + "\n";

    @TempDir
    Path tmp;

    @Test
    void theUntamperedPackageIsAccepted() throws IOException {
        byte[] ova = valid().build();

        OvfPackage read = new OvaReader().extract(new ByteArrayInputStream(ova), tmp.resolve("target"));

        assertThat(read.envelope()).isEqualTo(OvfSamples.singleVm("disk1.vmdk", null));
        assertThat(tmp.resolve("target/disk1.vmdk")).hasBinaryContent(disk);
    }

    @Test
    void memberClimbingOutWithDotDot() {
        String escape = "escape-" + UUID.randomUUID();

        assertRefused(valid().file("../../" + escape, "pwned"), Reason.PATH_TRAVERSAL);
        assertThat(tmp.getParent().resolve(escape)).doesNotExist();
        assertThat(tmp.resolve(escape)).doesNotExist();
    }

    @Test
    void memberWithAnAbsolutePath() {
        Path absolute = tmp.resolve("absolute-" + UUID.randomUUID());

        assertRefused(valid().file(absolute.toString(), "pwned"), Reason.PATH_TRAVERSAL);
        assertThat(absolute).doesNotExist();
    }

    @Test
    void descriptorReferencingAFileOutsideThePackage() {
        byte[] evil = new String(descriptor, StandardCharsets.UTF_8).replace("disk1.vmdk", "../disk1.vmdk")
                .getBytes(StandardCharsets.UTF_8);

        assertRefused(new TarBuilder().file("vm.ovf", evil).file("vm.mf", manifest).file("../disk1.vmdk", disk),
                Reason.PATH_TRAVERSAL);
    }

    @Test
    void symlinkMember() {
        assertRefused(new TarBuilder().file("vm.ovf", descriptor).file("vm.mf", manifest)
                .symlink("disk1.vmdk", "/etc/passwd"), Reason.UNSAFE_MEMBER);
    }

    @Test
    void symlinkToADirectoryFollowedByAFileThroughIt() {
        Path outside = tmp.resolve("outside");

        assertRefused(valid().symlink("evil", outside.toString()).file("evil/planted", "pwned"), Reason.UNSAFE_MEMBER);
        assertThat(outside).doesNotExist();
    }

    @Test
    void hardLinkDirectoryAndFifoMembers() {
        assertRefused(valid().hardLink("copy", "/etc/shadow"), Reason.UNSAFE_MEMBER);
        assertRefused(valid().directory("disks"), Reason.UNSAFE_MEMBER);
        assertRefused(valid().fifo("pipe"), Reason.UNSAFE_MEMBER);
    }

    @Test
    void descriptorNotFirst() {
        assertRefused(new TarBuilder().file("disk1.vmdk", disk).file("vm.ovf", descriptor).file("vm.mf", manifest),
                Reason.MEMBER_ORDER);
        assertRefused(new TarBuilder().file("vm.mf", manifest).file("vm.ovf", descriptor).file("disk1.vmdk", disk),
                Reason.MEMBER_ORDER);
    }

    @Test
    void certificateBeforeTheManifestItSigns() {
        byte[] certificate = OvfSamples.signer().sign("vm.mf", manifest.getBytes(StandardCharsets.UTF_8)).toBytes();

        assertRefused(new TarBuilder().file("vm.ovf", descriptor).file("vm.cert", certificate).file("vm.mf", manifest)
                .file("disk1.vmdk", disk), Reason.MEMBER_ORDER);
    }

    @Test
    void fileAfterAManifestPlacedAtTheEnd() {
        byte[] second = OvfSamples.diskBytes(100, 4);
        byte[] twoDisks = new OvfDescriptorWriter().write(OvfSamples.twoDiskVm("a.vmdk", "b.vmdk"));
        String twoManifest = "SHA256(a.vmdk)= " + OvfSamples.sha256(disk) + "\nSHA256(b.vmdk)= "
                + OvfSamples.sha256(second) + "\n";

        assertRefused(new TarBuilder().file("vm.ovf", twoDisks).file("a.vmdk", disk).file("vm.mf", twoManifest)
                .file("b.vmdk", second), Reason.MEMBER_ORDER);
    }

    @Test
    void digestMismatchWithTheManifestFirstOrLast() {
        byte[] tampered = disk.clone();
        tampered[1000] ^= 0x40;

        assertRefused(new TarBuilder().file("vm.ovf", descriptor).file("vm.mf", manifest).file("disk1.vmdk", tampered),
                Reason.DIGEST_MISMATCH);
        assertRefused(new TarBuilder().file("vm.ovf", descriptor).file("disk1.vmdk", tampered).file("vm.mf", manifest),
                Reason.DIGEST_MISMATCH);
    }

    @Test
    void descriptorDigestMismatch() {
        String wrongDescriptorDigest = manifest.replace(OvfSamples.sha256(descriptor), OvfSamples.sha256(disk));

        assertRefused(new TarBuilder().file("vm.ovf", descriptor).file("vm.mf", wrongDescriptorDigest)
                .file("disk1.vmdk", disk), Reason.DIGEST_MISMATCH);
    }

    @Test
    void referencedFileNotInTheManifestIsRefusedBeforeItsBytesAreHandedOut() {
        String onlyDescriptor = "SHA256(vm.ovf)= " + OvfSamples.sha256(descriptor) + "\n";
        byte[] ova = new TarBuilder().file("vm.ovf", descriptor).file("vm.mf", onlyDescriptor)
                .file("disk1.vmdk", disk).build();
        List<String> opened = new ArrayList<>();

        assertThatThrownBy(() -> new OvaReader().read(new ByteArrayInputStream(ova), (name, size) -> {
            opened.add(name);
            return OutputStream.nullOutputStream();
        })).isInstanceOfSatisfying(OvfException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_IN_MANIFEST));
        assertThat(opened).containsExactly("vm.ovf");
        assertRefused(new TarBuilder().file("vm.ovf", descriptor).file("vm.mf", onlyDescriptor).file("disk1.vmdk", disk),
                Reason.NOT_IN_MANIFEST);
    }

    @Test
    void referencedFileMissingFromTheArchive() {
        assertRefused(new TarBuilder().file("vm.ovf", descriptor).file("vm.mf", manifest), Reason.MISSING_FILE);
    }

    @Test
    void manifestListingAFileTheDescriptorDoesNotReference() {
        String extra = manifest + "SHA256(backdoor.sh)= " + OvfSamples.sha256(disk) + "\n";

        assertRefused(new TarBuilder().file("vm.ovf", descriptor).file("vm.mf", extra).file("disk1.vmdk", disk),
                Reason.MISSING_FILE);
    }

    @Test
    void unreferencedOrRepeatedMembers() {
        assertRefused(valid().file("readme.txt", "hello"), Reason.UNEXPECTED_MEMBER);
        assertRefused(valid().file("disk1.vmdk", disk), Reason.UNEXPECTED_MEMBER);
        assertRefused(valid().file("vm.mf", manifest), Reason.UNEXPECTED_MEMBER);
    }

    @Test
    void noManifest() {
        assertRefused(new TarBuilder().file("vm.ovf", descriptor).file("disk1.vmdk", disk), Reason.MISSING_MANIFEST);
    }

    @Test
    void noManifestWhenAllowedIsReadUnverifiedButSizesStillHold() throws IOException {
        OvaReader lenient = new OvaReader(OvfLimits.defaults(), new PackageOptions(null, false));
        byte[] sized = new OvfDescriptorWriter().write(OvfSamples.singleVm("disk1.vmdk", (long) disk.length));

        OvfPackage read = lenient.extract(new ByteArrayInputStream(new TarBuilder().file("vm.ovf", sized)
                .file("disk1.vmdk", disk).build()), tmp.resolve("unsigned"));

        assertThat(read.verified()).isFalse();
        assertThat(read.manifest()).isNull();
        assertThat(tmp.resolve("unsigned/disk1.vmdk")).hasBinaryContent(disk);
        byte[] shortDisk = Arrays.copyOf(disk, disk.length - 1);
        assertThatThrownBy(() -> lenient.extract(new ByteArrayInputStream(new TarBuilder().file("vm.ovf", sized)
                .file("disk1.vmdk", shortDisk).build()), tmp.resolve("short")))
                .isInstanceOfSatisfying(OvfException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SIZE_MISMATCH));
        // A manifest that is there is still verified.
        byte[] tampered = disk.clone();
        tampered[7] ^= 1;
        assertThatThrownBy(() -> lenient.extract(new ByteArrayInputStream(new TarBuilder().file("vm.ovf", descriptor)
                .file("vm.mf", manifest).file("disk1.vmdk", tampered).build()), tmp.resolve("tampered")))
                .isInstanceOfSatisfying(OvfException.class, e -> assertThat(e.reason()).isEqualTo(Reason.DIGEST_MISMATCH));
    }

    @Test
    void truncatedArchive() {
        byte[] whole = valid().build();
        int diskStart = indexOf(whole, Arrays.copyOf(disk, 64));
        byte[] truncated = Arrays.copyOf(whole, diskStart + 2000);

        assertRefused(truncated, Reason.MALFORMED_ARCHIVE);
    }

    @Test
    void notATarAtAll() {
        assertRefused(OvfSamples.diskBytes(4096, 9), Reason.MALFORMED_ARCHIVE);
        assertRefused(new byte[0], Reason.MALFORMED_ARCHIVE);
    }

    @Test
    void certificateWhoseSignatureDoesNotVerify() {
        byte[] otherManifest = manifest.replace("vm.ovf", "other.ovf").getBytes(StandardCharsets.UTF_8);
        byte[] certificate = OvfSamples.signer().sign("vm.mf", otherManifest).toBytes();

        assertRefused(valid().file("vm.cert", certificate), Reason.BAD_SIGNATURE);
        assertRefused(new TarBuilder().file("vm.ovf", descriptor).file("vm.mf", manifest).file("vm.cert", certificate)
                .file("disk1.vmdk", disk), Reason.BAD_SIGNATURE);
    }

    @Test
    void certificateSigningAnotherManifestName() {
        byte[] certificate = OvfSamples.signer().sign("other.mf", manifest.getBytes(StandardCharsets.UTF_8)).toBytes();

        assertRefused(new TarBuilder().file("vm.ovf", descriptor).file("vm.mf", manifest).file("vm.cert", certificate)
                .file("disk1.vmdk", disk), Reason.BAD_SIGNATURE);
    }

    @Test
    void validCertificateIsAccepted() throws IOException {
        byte[] certificate = OvfSamples.signer().sign("vm.mf", manifest.getBytes(StandardCharsets.UTF_8)).toBytes();
        byte[] ova = new TarBuilder().file("vm.ovf", descriptor).file("vm.mf", manifest).file("vm.cert", certificate)
                .file("disk1.vmdk", disk).build();

        OvfPackage read = new OvaReader().read(new ByteArrayInputStream(ova), MemberSink.discarding());

        assertThat(read.signer()).hasValue(OvfSamples.certificate("signing/signer.crt.pem"));
    }

    @Test
    void oversizedDescriptor() {
        OvaReader strict = new OvaReader(OvfLimits.defaults().withMaxDescriptorBytes(descriptor.length - 1));

        assertRefused(strict, valid().build(), Reason.TOO_LARGE);
    }

    @Test
    void tooManyMembersOrTooLargeFiles() {
        assertRefused(new OvaReader(OvfLimits.defaults().withMaxMembers(2)), valid().build(), Reason.TOO_LARGE);
        assertRefused(new OvaReader(OvfLimits.defaults().withMaxFileBytes(disk.length - 1)), valid().build(),
                Reason.TOO_LARGE);
        assertRefused(new OvaReader(OvfLimits.defaults().withMaxPackageBytes(disk.length - 1)), valid().build(),
                Reason.TOO_LARGE);
    }

    @Test
    void sizeDifferentFromReferences() {
        byte[] sized = new OvfDescriptorWriter().write(OvfSamples.singleVm("disk1.vmdk", 4095L));
        String sizedManifest = "SHA256(disk1.vmdk)= " + OvfSamples.sha256(disk) + "\n";

        assertRefused(new TarBuilder().file("vm.ovf", sized).file("vm.mf", sizedManifest).file("disk1.vmdk", disk),
                Reason.SIZE_MISMATCH);
    }

    @Test
    void xxeDescriptorInsideTheArchive() {
        byte[] xxe = ("<?xml version=\"1.0\"?><!DOCTYPE Envelope [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<Envelope xmlns=\"http://schemas.dmtf.org/ovf/envelope/1\">&x;</Envelope>")
                .getBytes(StandardCharsets.UTF_8);

        assertRefused(new TarBuilder().file("vm.ovf", xxe).file("vm.mf", manifest), Reason.UNSAFE_XML);
    }

    @Test
    void symlinkPlantedInTheTargetDirectoryIsNotWrittenThrough() throws IOException {
        Path outside = Files.writeString(tmp.resolve("outside.txt"), "original");
        Path target = Files.createDirectories(tmp.resolve("target"));
        Files.createSymbolicLink(target.resolve("disk1.vmdk"), outside);

        assertThatThrownBy(() -> new OvaReader().extract(new ByteArrayInputStream(valid().build()), target))
                .isInstanceOfSatisfying(OvfException.class, e -> assertThat(e.reason()).isEqualTo(Reason.PATH_TRAVERSAL));
        assertThat(outside).hasContent("original");
        try (Stream<Path> left = Files.list(target)) {
            assertThat(left).containsExactly(target.resolve("disk1.vmdk"));
        }
    }

    @Test
    void failuresOfTheCallersStreamStayIoExceptions() {
        byte[] ova = valid().build();
        InputStream failing = new InputStream() {
            private int position;

            @Override
            public int read() throws IOException {
                if (position >= 3000) {
                    throw new IOException("connection reset");
                }
                return ova[position++] & 0xff;
            }
        };

        assertThatThrownBy(() -> new OvaReader().extract(failing, tmp.resolve("target")))
                .isInstanceOf(IOException.class).hasMessage("connection reset");
        assertThat(tmp.resolve("target")).isEmptyDirectory();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    private TarBuilder valid() {
        return new TarBuilder().file("vm.ovf", descriptor).file("vm.mf", manifest).file("disk1.vmdk", disk);
    }

    private void assertRefused(TarBuilder ova, Reason reason) {
        assertRefused(new OvaReader(), ova.build(), reason);
    }

    private void assertRefused(byte[] ova, Reason reason) {
        assertRefused(new OvaReader(), ova, reason);
    }

    private void assertRefused(OvaReader reader, byte[] ova, Reason reason) {
        Path target = tmp.resolve("target");
        assertThatThrownBy(() -> reader.extract(new ByteArrayInputStream(ova), target))
                .isInstanceOfSatisfying(OvfException.class, e -> assertThat(e.reason()).isEqualTo(reason));
        assertThat(target).isEmptyDirectory();
        try (Stream<Path> everything = Files.walk(tmp)) {
            assertThat(everything).containsExactlyInAnyOrder(tmp, target);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
