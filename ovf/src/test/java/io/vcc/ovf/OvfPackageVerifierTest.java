package io.vcc.ovf;

import io.vcc.ovf.OvfException.Reason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OvfPackageVerifierTest {

    @TempDir
    Path dir;

    private final byte[] disk = OvfSamples.diskBytes(50_000, 5);
    private Path descriptor;

    @BeforeEach
    void writePackage() throws IOException {
        Files.write(dir.resolve("disk1.vmdk"), disk);
        new OvfPackageWriter().write(dir, "vm.ovf", OvfSamples.singleVm("disk1.vmdk", null), OvfSamples.signer());
        descriptor = dir.resolve("vm.ovf");
    }

    @Test
    void aWrittenPackageVerifiesWithItsSizeFilledIn() throws IOException {
        OvfPackage verified = new OvfPackageVerifier().verify(descriptor);

        assertThat(verified.envelope().file("file1")).hasValueSatisfying(f -> assertThat(f.size()).isEqualTo(50_000L));
        assertThat(verified.manifest().entry("disk1.vmdk")).hasValue(
                new ManifestEntry(OvfDigestAlgorithm.SHA256, "disk1.vmdk", OvfSamples.sha256(disk)));
        assertThat(verified.signer()).isPresent();
    }

    @Test
    void aFlippedByteIsADigestMismatch() throws IOException {
        byte[] tampered = disk.clone();
        tampered[49_999] ^= 1;
        Files.write(dir.resolve("disk1.vmdk"), tampered);

        assertRefused(Reason.DIGEST_MISMATCH);
    }

    @Test
    void aFileWhoseDigestTheCallerKnowsIsNotReadAgainButMustMatchTheManifest() throws IOException {
        // The bytes on disk differ, but the caller vouches for the digest: only the manifest is compared with it.
        byte[] tampered = disk.clone();
        tampered[0] ^= 1;
        Files.write(dir.resolve("disk1.vmdk"), tampered);

        OvfPackage verified = new OvfPackageVerifier().verify(descriptor,
                java.util.Map.of("disk1.vmdk", OvfSamples.sha256(disk).toUpperCase(java.util.Locale.ROOT)));
        assertThat(verified.manifest().entry("disk1.vmdk")).isPresent();

        assertThatThrownBy(() -> new OvfPackageVerifier().verify(descriptor,
                java.util.Map.of("disk1.vmdk", OvfSamples.sha256(tampered))))
                .isInstanceOfSatisfying(OvfException.class, e -> assertThat(e.reason()).isEqualTo(Reason.DIGEST_MISMATCH));
    }

    @Test
    void aFileWhoseDigestTheCallerKnowsIsStillCheckedForItsSize() throws IOException {
        Files.write(dir.resolve("disk1.vmdk"), new byte[] {0}, StandardOpenOption.APPEND);

        assertThatThrownBy(() -> new OvfPackageVerifier().verify(descriptor, java.util.Map.of("disk1.vmdk", OvfSamples.sha256(disk))))
                .isInstanceOfSatisfying(OvfException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SIZE_MISMATCH));
    }

    @Test
    void anAppendedByteIsASizeMismatch() throws IOException {
        Files.write(dir.resolve("disk1.vmdk"), new byte[] {0}, StandardOpenOption.APPEND);

        assertRefused(Reason.SIZE_MISMATCH);
    }

    @Test
    void aMissingFile() throws IOException {
        Files.delete(dir.resolve("disk1.vmdk"));

        assertRefused(Reason.MISSING_FILE);
    }

    @Test
    void aFileMissingFromTheManifest() throws IOException {
        String manifest = Files.readString(dir.resolve("vm.mf"));
        Files.writeString(dir.resolve("vm.mf"), manifest.lines().filter(l -> !l.contains("disk1"))
                .map(l -> l + "\n").collect(Collectors.joining()));
        Files.delete(dir.resolve("vm.cert"));

        assertRefused(Reason.NOT_IN_MANIFEST);
    }

    @Test
    void noManifest() throws IOException {
        Files.delete(dir.resolve("vm.mf"));

        assertRefused(Reason.MISSING_MANIFEST);
    }

    @Test
    void noManifestWhenAllowedVerifiesSizesOnly() throws IOException {
        Files.delete(dir.resolve("vm.mf"));
        Files.delete(dir.resolve("vm.cert"));
        OvfPackageVerifier lenient = new OvfPackageVerifier(OvfLimits.defaults(), new PackageOptions(null, false));

        OvfPackage verified = lenient.verify(descriptor);

        assertThat(verified.verified()).isFalse();
        assertThat(verified.certificate()).isNull();
        try (OutputStream out = Files.newOutputStream(dir.resolve("disk1.vmdk"), StandardOpenOption.APPEND)) {
            out.write(1);
        }
        assertThatThrownBy(() -> lenient.verify(descriptor)).isInstanceOfSatisfying(OvfException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.SIZE_MISMATCH));
    }

    @Test
    void aCertificateWithoutTheManifestItSignsIsRefusedEvenWhenManifestsAreOptional() throws IOException {
        Files.delete(dir.resolve("vm.mf"));

        assertThatThrownBy(() -> new OvfPackageVerifier(OvfLimits.defaults(), new PackageOptions(null, false)).verify(descriptor))
                .isInstanceOfSatisfying(OvfException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_MANIFEST));
    }

    @Test
    void anEditedDescriptor() throws IOException {
        String edited = Files.readString(descriptor).replace("<Name>vm1</Name>", "<Name>vm2</Name>");
        Files.writeString(descriptor, edited);

        assertRefused(Reason.DIGEST_MISMATCH);
    }

    @Test
    void anEditedManifestNoLongerMatchesItsSignature() throws IOException {
        Files.writeString(dir.resolve("vm.mf"), Files.readString(dir.resolve("vm.mf")) + "\n");

        assertRefused(Reason.BAD_SIGNATURE);
    }

    @Test
    void aDiskReachedThroughASymbolicLink() throws IOException {
        Path outside = Files.createTempDirectory(dir.getParent(), "outside");
        try {
            Files.move(dir.resolve("disk1.vmdk"), outside.resolve("disk1.vmdk"));
            Files.createSymbolicLink(dir.resolve("disk1.vmdk"), outside.resolve("disk1.vmdk"));

            assertRefused(Reason.PATH_TRAVERSAL);
        } finally {
            Files.deleteIfExists(outside.resolve("disk1.vmdk"));
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void aSha1ManifestFromAnotherToolVerifies() throws IOException {
        Files.delete(dir.resolve("vm.cert"));
        Files.writeString(dir.resolve("vm.mf"), "SHA1 (disk1.vmdk) = " + OvfSamples.sha1(disk) + "\n"
                + "SHA1 (vm.ovf) = " + OvfSamples.sha1(Files.readAllBytes(descriptor)) + "\n");

        OvfPackage verified = new OvfPackageVerifier().verify(descriptor);

        assertThat(verified.manifest().entries()).extracting(ManifestEntry::algorithm)
                .containsOnly(OvfDigestAlgorithm.SHA1);
        assertThat(verified.certificate()).isNull();
    }

    @Test
    void theWriterRefusesAFileWhoseSizeContradictsTheEnvelope() {
        assertThatThrownBy(() -> new OvfPackageWriter().write(dir, "other.ovf", OvfSamples.singleVm("disk1.vmdk", 1L)))
                .isInstanceOfSatisfying(OvfException.class, e -> assertThat(e.reason()).isEqualTo(Reason.SIZE_MISMATCH));
    }

    @Test
    void theOvaWriterRefusesAPackageThatWouldNotVerify() throws IOException {
        byte[] tampered = disk.clone();
        tampered[0] ^= 1;
        Files.write(dir.resolve("disk1.vmdk"), tampered);

        assertThatThrownBy(() -> new OvaWriter().write(descriptor, OutputStream.nullOutputStream()))
                .isInstanceOfSatisfying(OvfException.class, e -> assertThat(e.reason()).isEqualTo(Reason.DIGEST_MISMATCH));
    }

    @Test
    void theManifestWrittenIsSha256InOvftoolFormat() throws IOException {
        assertThat(Files.readString(dir.resolve("vm.mf"), StandardCharsets.UTF_8)).isEqualTo(
                "SHA256(vm.ovf)= " + OvfSamples.sha256(Files.readAllBytes(descriptor)) + "\n"
                        + "SHA256(disk1.vmdk)= " + OvfSamples.sha256(disk) + "\n");
    }

    private void assertRefused(Reason reason) {
        assertThatThrownBy(() -> new OvfPackageVerifier().verify(descriptor))
                .isInstanceOfSatisfying(OvfException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
