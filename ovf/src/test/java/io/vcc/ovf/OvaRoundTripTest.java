package io.vcc.ovf;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

class OvaRoundTripTest {

    /** Sizes chosen to straddle the 1 MiB copy buffer and to include an empty file. */
    private static final Map<String, byte[]> DISKS = Map.of(
            "web-root.vmdk", OvfSamples.diskBytes((1 << 20) * 2 + 777, 1),
            "web-logs.vmdk", OvfSamples.diskBytes(10_000, 2),
            "db-root.vmdk", new byte[0]);

    @TempDir
    Path tmp;

    @Test
    void signedPackageWrittenAsOvaExtractsEqualAndVerified() throws IOException {
        Path source = writeDisks(tmp.resolve("source"));
        OvfPackage written = new OvfPackageWriter().write(source, "shop.ovf", OvfSamples.twoVmCollection(),
                OvfSamples.signer());
        Path ova = tmp.resolve("shop.ova");
        try (OutputStream out = Files.newOutputStream(ova)) {
            new OvaWriter().write(source.resolve("shop.ovf"), out);
        }

        Path target = tmp.resolve("target");
        OvfPackage read;
        try (InputStream in = Files.newInputStream(ova)) {
            read = new OvaReader().extract(in, target);
        }

        assertThat(read).isEqualTo(written);
        assertThat(read.envelope().files()).extracting(FileReference::size)
                .containsExactly((long) DISKS.get("web-root.vmdk").length, 10_000L, 0L);
        assertThat(read.envelope().withFiles(OvfSamples.twoVmCollection().files()))
                .isEqualTo(OvfSamples.twoVmCollection());
        assertThat(read.signer()).hasValue(OvfSamples.certificate("signing/signer.crt.pem"));
        for (String name : List.of("shop.ovf", "shop.mf", "shop.cert", "web-root.vmdk", "web-logs.vmdk", "db-root.vmdk")) {
            assertThat(target.resolve(name)).as(name).hasSameBinaryContentAs(source.resolve(name));
        }
        assertThat(new OvfPackageVerifier().verify(target.resolve("shop.ovf"))).isEqualTo(read);
    }

    @Test
    void ovaIsUstarWithDescriptorManifestCertificateThenFilesInReferenceOrder() throws IOException {
        byte[] ova = ovaOf(OvfSamples.twoVmCollection(), OvfSamples.signer());

        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(ova))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                names.add(entry.getName());
                assertThat(entry.isFile()).isTrue();
            }
        }

        assertThat(names).containsExactly("shop.ovf", "shop.mf", "shop.cert", "web-root.vmdk", "web-logs.vmdk",
                "db-root.vmdk");
        assertThat(Arrays.copyOfRange(ova, 257, 265)).isEqualTo("ustar\00000".getBytes(StandardCharsets.US_ASCII));
        assertThat(ova.length % 512).isZero();
    }

    @Test
    void writingTheSamePackageTwiceGivesIdenticalBytesSoRangeRequestsCanResume() throws IOException {
        Path source = writeDisks(tmp.resolve("source"));
        new OvfPackageWriter().write(source, "shop.ovf", OvfSamples.twoVmCollection());
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();

        new OvaWriter().write(source.resolve("shop.ovf"), first);
        Files.setLastModifiedTime(source.resolve("web-logs.vmdk"), FileTime.fromMillis(1));
        new OvaWriter().write(source.resolve("shop.ovf"), second);

        assertThat(second.toByteArray()).isEqualTo(first.toByteArray());
    }

    @Test
    void unsignedPackageVerifiesInPassingToACallerSink() throws IOException {
        byte[] ova = ovaOf(OvfSamples.twoVmCollection(), null);
        Map<String, Long> sizes = new ConcurrentHashMap<>();

        OvfPackage read = new OvaReader().read(new ByteArrayInputStream(ova), (name, size) -> {
            sizes.put(name, size);
            return OutputStream.nullOutputStream();
        });

        assertThat(read.certificate()).isNull();
        assertThat(read.signer()).isEmpty();
        assertThat(read.manifest().entries()).extracting(ManifestEntry::fileName)
                .containsExactly("shop.ovf", "web-root.vmdk", "web-logs.vmdk", "db-root.vmdk");
        assertThat(sizes).containsEntry("web-root.vmdk", (long) DISKS.get("web-root.vmdk").length)
                .containsKeys("shop.ovf", "shop.mf").doesNotContainKey("shop.cert");
        assertThat(new OvaReader().read(new ByteArrayInputStream(ova), MemberSink.discarding())).isEqualTo(read);
    }

    @Test
    void virtualBoxStyleOvaWithSha1ManifestAfterTheDiskImports() throws IOException {
        byte[] descriptor = OvfSamples.resource("virtualbox/debian12.ovf");
        byte[] disk = OvfSamples.diskBytes(300_000, 7);
        String manifest = "SHA1 (debian12.ovf) = " + OvfSamples.sha1(descriptor) + "\n"
                + "SHA1 (debian12-disk001.vmdk) = " + OvfSamples.sha1(disk) + "\n";
        byte[] ova = new TarBuilder().file("debian12.ovf", descriptor).file("debian12-disk001.vmdk", disk)
                .file("debian12.mf", manifest).build();

        Path target = tmp.resolve("target");
        OvfPackage read = new OvaReader().extract(new ByteArrayInputStream(ova), target);

        VirtualSystem vm = read.envelope().virtualSystems().get(0);
        assertThat(vm.hardware().memoryBytes()).isEqualTo(2048L << 20);
        assertThat(vm.hardware().nics()).extracting(NetworkAdapter::macAddress)
                .containsExactly("08:00:27:d4:e1:a0", "08:00:27:b9:3c:52");
        assertThat(read.manifest().entries()).extracting(ManifestEntry::algorithm).containsOnly(OvfDigestAlgorithm.SHA1);
        assertThat(target.resolve("debian12-disk001.vmdk")).hasBinaryContent(disk);
        assertThat(new OvfPackageVerifier().verify(target.resolve("debian12.ovf")).envelope())
                .isEqualTo(read.envelope());
    }

    @Test
    void ovftoolStyleOvaWithSha256ManifestFirstImports() throws IOException {
        byte[] disk = OvfSamples.diskBytes(68_608, 11);
        // The ovftool fixture, shrunk to its second disk so the archive stays small.
        String descriptor = new String(OvfSamples.resource("vmware/web01.ovf"), StandardCharsets.UTF_8)
                .replaceAll("(?s)<File ovf:href=\"web01-disk1.vmdk\".*?/>", "")
                .replaceAll("(?s)<File ovf:href=\"web01-file1.nvram\".*?/>", "")
                .replaceAll("(?s)<Disk [^>]*ovf:diskId=\"vmdisk1\"[^>]*/>", "")
                .replaceAll("(?s)<Item>\\s*<rasd:AddressOnParent>0</rasd:AddressOnParent>\\s*<rasd:ElementName>Hard Disk 1.*?</Item>", "")
                .replaceAll("<vmw:File [^>]*/>", "");
        byte[] descriptorBytes = descriptor.getBytes(StandardCharsets.UTF_8);
        String manifest = "SHA256(web01.ovf)= " + OvfSamples.sha256(descriptorBytes) + "\n"
                + "SHA256(web01-disk2.vmdk)= " + OvfSamples.sha256(disk) + "\n";
        byte[] ova = new TarBuilder().file("web01.ovf", descriptorBytes).file("web01.mf", manifest)
                .file("web01-disk2.vmdk", disk).build();

        OvfPackage read = new OvaReader().extract(new ByteArrayInputStream(ova), tmp.resolve("target"));

        VirtualSystem vm = read.envelope().virtualSystems().get(0);
        assertThat(vm.hardware().systemType()).isEqualTo("vmx-13");
        assertThat(vm.hardware().disks()).extracting(DiskAttachment::diskId).containsExactly("vmdisk2");
        assertThat(read.envelope().disk("vmdisk2")).hasValueSatisfying(d -> assertThat(d.capacityBytes())
                .isEqualTo(10L << 30));
        assertThat(vm.hardware().nics()).extracting(NetworkAdapter::adapterType).containsOnly("VmxNet3");
    }

    private byte[] ovaOf(OvfEnvelope envelope, OvfSigner signer) throws IOException {
        Path source = writeDisks(Files.createTempDirectory(tmp, "source"));
        new OvfPackageWriter().write(source, "shop.ovf", envelope, signer);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new OvaWriter().write(source.resolve("shop.ovf"), out);
        return out.toByteArray();
    }

    private static Path writeDisks(Path directory) throws IOException {
        Files.createDirectories(directory);
        for (Map.Entry<String, byte[]> disk : DISKS.entrySet()) {
            Files.write(directory.resolve(disk.getKey()), disk.getValue());
        }
        return directory;
    }
}
