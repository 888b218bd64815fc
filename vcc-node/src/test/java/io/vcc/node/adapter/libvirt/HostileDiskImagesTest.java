package io.vcc.node.adapter.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vcc.api.node.VdcInfo;
import io.vcc.api.node.VmInfo;
import io.vcc.ovf.VirtualDisk;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.adapter.VmImport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Disk images a tenant crafted, made by {@code qemu-img} itself: each names a host file (a backing file, an external
 * data file, a VMDK extent) holding a secret, or holds a disk far larger than the package declares. Each is refused
 * as {@code package-unsafe} before any domain is defined, and no byte of the secret reaches the images or the
 * staging directory. Skipped without libvirt0 or qemu-img, unless {@code VCC_REQUIRE_LIBVIRT=1}.
 */
class HostileDiskImagesTest extends LibvirtTestBed {

    private static final long MIB = 1L << 20;
    /** ovf:format URIs as other tools write them: QEMU's for qcow2, Microsoft's for VHD. */
    private static final String QCOW2 = "http://www.qemu.org/formats/qcow2";
    private static final String VHD = "http://www.microsoft.com/technet/virtualserver/downloads/vhdspec.mspx";
    private static final byte[] SECRET = "HOST-SECRET-7f3c9a-do-not-leak".getBytes(StandardCharsets.US_ASCII);

    private LibvirtHypervisor hypervisor;
    private Path staging;
    private Path secret;
    private VdcInfo vdc;

    @BeforeEach
    void hostAndTenant() throws IOException {
        LibvirtRequired.qemuImg();
        hypervisor = newHypervisor(Duration.ZERO);
        staging = Files.createDirectories(home.resolve("staging"));
        // A file of the node's that the tenant must never read: its first and last bytes are the secret.
        secret = Files.createDirectories(home.resolve("host")).resolve("secret.raw");
        byte[] content = new byte[(int) MIB];
        System.arraycopy(SECRET, 0, content, 0, SECRET.length);
        System.arraycopy(SECRET, 0, content, content.length - SECRET.length, SECRET.length);
        Files.write(secret, content);
        vdc = director.add("tenant-" + System.nanoTime(), 8, 8192, 4096);
    }

    @Test
    void aQcow2WhoseBackingFileIsAHostFileIsRefused() throws Exception {
        Path image = staging.resolve("disk1.qcow2");
        qemuImg("create", "-q", "-f", "qcow2", "-F", "raw", "-b", secret.toString(), image.toString());

        assertRefusedLeavingNothing(image, MIB, QCOW2, "backing file");
    }

    @Test
    void aQcow2WithAnExternalDataFileOnTheHostIsRefused() throws Exception {
        Path image = staging.resolve("disk1.qcow2");
        // Made with a data file of its own, then pointed at the host's (create would truncate the file it names).
        qemuImg("create", "-q", "-f", "qcow2", "-o", "data_file=" + home.resolve("scratch.raw") + ",data_file_raw=on",
                image.toString(), Long.toString(MIB));
        qemuImg("amend", "-f", "qcow2", "-o", "data_file=" + secret, image.toString());

        assertRefusedLeavingNothing(image, MIB, QCOW2, "external data file");
    }

    @Test
    void aVmdkDescriptorWhoseExtentIsAHostFileIsRefused() throws Exception {
        Path image = Files.writeString(staging.resolve("disk1.vmdk"), """
                # Disk DescriptorFile
                version=1
                CID=fffffffe
                parentCID=ffffffff
                createType="monolithicFlat"

                RW 2048 FLAT "%s" 0

                ddb.virtualHWVersion = "4"
                """.formatted(secret));

        assertRefusedLeavingNothing(image, MIB, VirtualDisk.VMDK_STREAM_OPTIMIZED, "VMDK descriptor");
    }

    @Test
    void aSparseVmdkWhoseParentIsAHostImageIsRefused() throws Exception {
        Path parent = home.resolve("host").resolve("parent.vmdk");
        qemuImg("convert", "-f", "raw", "-O", "vmdk", secret.toString(), parent.toString());
        Path image = staging.resolve("disk1.vmdk");
        qemuImg("create", "-q", "-f", "vmdk", "-F", "vmdk", "-b", parent.toString(), image.toString());

        assertRefusedLeavingNothing(image, MIB, VirtualDisk.VMDK_STREAM_OPTIMIZED, "backing file");
    }

    @Test
    void aQcow2OfOneTebibyteDeclaredAsOneMebibyteIsRefused() throws Exception {
        Path image = staging.resolve("bomb.qcow2");
        qemuImg("create", "-q", "-f", "qcow2", image.toString(), "1T");
        assertThat(Files.size(image)).as("a small file").isLessThan(MIB);

        assertRefusedLeavingNothing(image, MIB, QCOW2, "larger than the capacity");
    }

    @Test
    void aVhdLargerThanItsDeclaredCapacityIsRefused() throws Exception {
        Path image = staging.resolve("bomb.vhd");
        qemuImg("create", "-q", "-f", "vpc", image.toString(), "64G");

        assertRefusedLeavingNothing(image, MIB, VHD, "larger than the capacity");
    }

    @Test
    void aSelfContainedQcow2IsConvertedAndOnlyTheDomainKeepsItsRawImage() throws Exception {
        byte[] data = new byte[(int) (2 * MIB)];
        new Random(5).nextBytes(data);
        Path raw = Files.write(home.resolve("data.raw"), data);
        Path image = staging.resolve("disk1.qcow2");
        qemuImg("convert", "-f", "raw", "-O", "qcow2", "-c", raw.toString(), image.toString());

        VmInfo vm = hypervisor.importVm(vdc.id(), new VmImport("fine", 1, 256,
                List.of(new VmImport.Disk(0, 3 * MIB, image, QCOW2)), List.of(), null));

        byte[] disk = Files.readAllBytes(hypervisor.diskImages(vm.id()).get(0));
        assertThat(disk).hasSize((int) (3 * MIB));
        assertThat(Arrays.copyOf(disk, data.length)).isEqualTo(data);
        try (Stream<Path> files = Files.list(staging)) {
            assertThat(files).as("the raw image made beside the staged one is the VM's now").containsExactly(image);
        }
    }

    @Test
    void anInspectionOrConversionThatOutlastsItsTimeoutIsStoppedAndRefused() throws Exception {
        Path image = staging.resolve("disk1.qcow2");
        qemuImg("create", "-q", "-f", "qcow2", image.toString(), "1M");
        // A qemu-img stuck in the step named: it starts a child that keeps running (a sleep of a length no other
        // process has, to be found again), as a stuck one would; the convert step writes some output first.
        String nap = Long.toString(5_000_000 + new Random().nextInt(1_000_000));
        Path stuck = home.resolve("stuck-qemu-img");
        Files.writeString(stuck, """
                #!/bin/sh
                if [ "$1" = "$STUCK" ]; then
                  for last; do :; done
                  if [ "$1" = convert ]; then printf partial > "$last"; fi
                  sleep %s &
                  wait
                fi
                exec qemu-img "$@"
                """.formatted(nap));
        Files.setPosixFilePermissions(stuck, PosixFilePermissions.fromString("rwx------"));

        for (String step : List.of("info", "convert")) {
            Path wrapper = Files.writeString(home.resolve("qemu-img-stuck-in-" + step), "#!/bin/sh\nSTUCK=" + step + " exec " + stuck + " \"$@\"\n");
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
            LibvirtHypervisor slow = new LibvirtHypervisor(connection, new LibvirtImages(imagesDir,
                    new QemuImg(wrapper.toString(), Duration.ofSeconds(2), Duration.ofSeconds(2), 1L << 30)), director, "", Duration.ZERO);

            assertThatThrownBy(() -> slow.importVm(vdc.id(), new VmImport("slow-" + step, 1, 256,
                    List.of(new VmImport.Disk(0, MIB, image, QCOW2)), List.of(), null)))
                    .isInstanceOfSatisfying(VccProblemException.class, problem -> {
                        assertThat(problem.type()).as(problem.getMessage()).isEqualTo(ProblemType.PACKAGE_UNSAFE);
                        assertThat(problem.getMessage()).contains("did not " + (step.equals("info") ? "inspect" : "convert"), "timeout");
                    });
            assertThat(ProcessHandle.allProcesses().filter(process -> process.info().commandLine().orElse("").contains(nap)))
                    .as("qemu-img and what it started are killed").isEmpty();
        }

        assertThat(hypervisor.vms(vdc.id())).isEmpty();
        assertThat(imageDirectoriesExist()).isFalse();
        try (Stream<Path> files = Files.list(staging)) {
            assertThat(files).as("the partial raw image is removed").containsExactly(image);
        }
    }

    private void assertRefusedLeavingNothing(Path image, long capacityBytes, String ovfFormat, String reason) throws Exception {
        assertThatThrownBy(() -> hypervisor.importVm(vdc.id(), new VmImport("victim", 1, 256,
                List.of(new VmImport.Disk(0, capacityBytes, image, ovfFormat)), List.of(), null)))
                .isInstanceOfSatisfying(VccProblemException.class, problem -> {
                    assertThat(problem.type()).as(problem.getMessage()).isEqualTo(ProblemType.PACKAGE_UNSAFE);
                    assertThat(problem.getMessage()).contains(reason);
                });
        // The same through a vApp and a template: every way in is checked.
        assertThatThrownBy(() -> hypervisor.importVapp(vdc.id(), "victims", List.of(new VmImport("victim", 1, 256,
                List.of(new VmImport.Disk(0, capacityBytes, image, ovfFormat)), List.of(), null))))
                .isInstanceOfSatisfying(VccProblemException.class, problem -> assertThat(problem.type()).isEqualTo(ProblemType.PACKAGE_UNSAFE));
        assertThatThrownBy(() -> hypervisor.catalog().importTemplate(vdc.id(), "victims", List.of(new VmImport("victim", 1, 256,
                List.of(new VmImport.Disk(0, capacityBytes, image, ovfFormat)), List.of(), null))))
                .isInstanceOfSatisfying(VccProblemException.class, problem -> assertThat(problem.type()).isEqualTo(ProblemType.PACKAGE_UNSAFE));

        assertThat(hypervisor.vms(vdc.id())).isEmpty();
        assertThat(hypervisor.catalog().templates(vdc.id())).isEmpty();
        assertThat(filesHolding(SECRET, imagesDir, staging)).as("files holding the host's secret").isEmpty();
        try (Stream<Path> files = Files.list(staging)) {
            assertThat(files).as("nothing was written beside the staged image").containsExactly(image);
        }
    }

    private boolean imageDirectoriesExist() throws IOException {
        if (!Files.isDirectory(imagesDir)) {
            return false;
        }
        try (Stream<Path> directories = Files.list(imagesDir)) {
            return directories.findAny().isPresent();
        }
    }

    /** The regular files under {@code roots} in which {@code marker} occurs. */
    static List<Path> filesHolding(byte[] marker, Path... roots) throws IOException {
        List<Path> holding = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    if (indexOf(Files.readAllBytes(file), marker) >= 0) {
                        holding.add(file);
                    }
                }
            }
        }
        return holding;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void qemuImg(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("qemu-img"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("qemu-img %s: %s", String.join(" ", arguments), output).isZero();
    }
}
