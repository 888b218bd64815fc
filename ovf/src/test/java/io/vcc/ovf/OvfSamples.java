package io.vcc.ovf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/** Envelopes, fixture files and signing material shared by the OVF tests. */
final class OvfSamples {

    static final long GIB = 1L << 30;
    static final long MIB = 1L << 20;

    private OvfSamples() {
    }

    /** A vApp of two VMs: disks on two controller types, NICs with MACs on two networks, product info. */
    static OvfEnvelope twoVmCollection() {
        StorageController scsi = new StorageController(ControllerType.SCSI, "VirtualSCSI", 0);
        StorageController sata = new StorageController(ControllerType.OTHER_STORAGE, "vmware.sata.ahci", 0);
        VirtualSystem web = new VirtualSystem("web", "web-01", ProductInfo.of("Shop frontend", "Example & Co", "2.4"),
                new GuestOs(94, "Ubuntu Linux (64-bit)", "ubuntu64Guest"),
                new VirtualHardware("vmx-13", 2, 4 * GIB,
                        List.of(new DiskAttachment("web-root", scsi, 0), new DiskAttachment("web-logs", scsi, 1)),
                        List.of(new NetworkAdapter("frontend", "00:50:56:aa:00:01", "VmxNet3"),
                                new NetworkAdapter("backend", "00:50:56:aa:00:02", "VmxNet3"))));
        VirtualSystem db = new VirtualSystem("db", "db-01", null, new GuestOs(80, "Rocky Linux 9", null),
                new VirtualHardware("vmx-13", 4, 16 * GIB + 512 * MIB,
                        List.of(new DiskAttachment("db-root", sata, 0)),
                        List.of(new NetworkAdapter("backend", "00:50:56:aa:00:03", "E1000e"))));
        return new OvfEnvelope(
                List.of(new FileReference("file1", "web-root.vmdk", null),
                        new FileReference("file2", "web-logs.vmdk", null),
                        new FileReference("file3", "db-root.vmdk", null)),
                List.of(new VirtualDisk("web-root", "file1", 20 * GIB, VirtualDisk.VMDK_STREAM_OPTIMIZED, 3 * GIB),
                        new VirtualDisk("web-logs", "file2", 1536 * MIB, VirtualDisk.VMDK_STREAM_OPTIMIZED, null),
                        new VirtualDisk("db-root", "file3", 100 * GIB + 123, VirtualDisk.VMDK_STREAM_OPTIMIZED, null)),
                List.of(new OvfNetwork("frontend", "Client-facing network"), new OvfNetwork("backend", null)),
                new VirtualSystemCollection("shop", "Shop vApp",
                        new ProductInfo("Shop", "Example & Co", "2.4", "2.4.1-b77", "https://shop.example",
                                "https://example.com"),
                        List.of(web, db)));
    }

    /** One VM with one disk backed by {@code href}: the smallest package worth attacking. */
    static OvfEnvelope singleVm(String href, Long size) {
        return new OvfEnvelope(List.of(new FileReference("file1", href, size)),
                List.of(new VirtualDisk("vmdisk1", "file1", GIB, VirtualDisk.VMDK_STREAM_OPTIMIZED, null)),
                List.of(new OvfNetwork("VM Network", null)),
                new VirtualSystem("vm1", "vm1", null, null, new VirtualHardware("vmx-13", 1, 512 * MIB,
                        List.of(new DiskAttachment("vmdisk1",
                                new StorageController(ControllerType.SCSI, "lsilogic", 0), 0)),
                        List.of(new NetworkAdapter("VM Network", "00:50:56:00:00:01", "VmxNet3")))));
    }

    /** One VM with two disks in two files, for archives that need a member after another. */
    static OvfEnvelope twoDiskVm(String firstHref, String secondHref) {
        StorageController scsi = new StorageController(ControllerType.SCSI, "lsilogic", 0);
        return new OvfEnvelope(
                List.of(new FileReference("file1", firstHref, null), new FileReference("file2", secondHref, null)),
                List.of(new VirtualDisk("vmdisk1", "file1", GIB, VirtualDisk.VMDK_STREAM_OPTIMIZED, null),
                        new VirtualDisk("vmdisk2", "file2", GIB, VirtualDisk.VMDK_STREAM_OPTIMIZED, null)),
                List.of(),
                new VirtualSystem("vm1", "vm1", null, null, new VirtualHardware("vmx-13", 1, 512 * MIB,
                        List.of(new DiskAttachment("vmdisk1", scsi, 0), new DiskAttachment("vmdisk2", scsi, 1)),
                        List.of())));
    }

    static String sha256(byte[] bytes) {
        return hex("SHA-256", bytes);
    }

    static String sha1(byte[] bytes) {
        return hex("SHA-1", bytes);
    }

    private static String hex(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] resource(String path) {
        try (InputStream in = OvfSamples.class.getResourceAsStream("/ovf/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource ovf/" + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deterministic pseudo-random bytes standing in for a disk image. */
    static byte[] diskBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static OvfSigner signer() {
        return new OvfSigner(privateKey("signing/signer.key.pem"), List.of(certificate("signing/signer.crt.pem")));
    }

    static X509Certificate certificate(String path) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(OvfSamples.class.getResourceAsStream("/ovf/" + path));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static PrivateKey privateKey(String path) {
        String pem = new String(resource(path), StandardCharsets.US_ASCII)
                .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
