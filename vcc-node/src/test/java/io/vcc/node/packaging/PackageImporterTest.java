package io.vcc.node.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vcc.api.node.CloudCapacity;
import io.vcc.api.node.VdcInfo;
import io.vcc.api.node.VmInfo;
import io.vcc.ovf.OvfDescriptorReader;
import io.vcc.ovf.OvfDescriptorWriter;
import io.vcc.ovf.OvfEnvelope;
import io.vcc.ovf.VirtualDisk;
import io.vcc.ovf.VirtualSystem;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.PackageKind;
import io.vcc.node.adapter.CloudInventory;
import io.vcc.node.adapter.VmImport;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Descriptors as VMware, VirtualBox and vendors write them, turned into the VM the cloud creates. */
class PackageImporterTest {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    private VdcInfo vdc = new VdcInfo("vdc-1", "acme", "acme-a", 64, 65536, 1000, 0, 0, 0);
    private final PackageImporter importer = new PackageImporter(new OneVdc(), null, null);

    @Test
    void virtualBoxOvf1ImportsWithItsHardwareAndTheMacsOfItsOwnSection() throws IOException {
        OvfEnvelope envelope = read("debian12.ovf");
        Files.write(dir.resolve("debian12-disk001.vmdk"), new byte[4096]);

        VmImport vm = importer.plan(envelope, dir, "vdc-1", null, true, PackageKind.VM, "import-1").get(0);

        assertThat(vm.name()).isEqualTo("debian12");
        assertThat(vm.cpus()).isEqualTo(2);
        assertThat(vm.memoryMb()).isEqualTo(2048);
        assertThat(vm.disks()).containsExactly(new VmImport.Disk(0, 20 * GIB, dir.resolve("debian12-disk001.vmdk"),
                VirtualDisk.VMDK_STREAM_OPTIMIZED));
        assertThat(vm.nics()).containsExactly(new VmImport.Nic(0, "NAT", "08:00:27:d4:e1:a0"),
                new VmImport.Nic(1, "HostOnly", "08:00:27:b9:3c:52"));
    }

    @Test
    void macsAreLeftToTheCloudUnlessKeptAndTheNameCanBeGiven() throws IOException {
        Files.write(dir.resolve("debian12-disk001.vmdk"), new byte[4096]);

        VmImport vm = importer.plan(read("debian12.ovf"), dir, "vdc-1", "agent-7", false, PackageKind.VM, "import-1").get(0);

        assertThat(vm.name()).isEqualTo("agent-7");
        assertThat(vm.importKey()).isEqualTo("import-1");
        assertThat(vm.nics()).extracting(VmImport.Nic::mac).containsOnlyNulls();
    }

    @Test
    void aVendorVappOfTwoVirtualSystemsIsRefusedAsUnsupported() {
        assertThatThrownBy(() -> importer.check(read("acme-suite.ovf"), "vdc-1", PackageKind.VM))
                .isInstanceOfSatisfying(VccProblemException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.PACKAGE_UNSUPPORTED);
                    assertThat(e.getMessage()).contains("2 virtual systems");
                });
    }

    @Test
    void theSameVendorVappImportsAsAVappOfItsTwoVms() throws IOException {
        Files.write(dir.resolve("acme-db-system.vmdk"), new byte[512]);
        Files.write(dir.resolve("acme-app-system.vmdk"), new byte[512]);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("acme-app-data.vmdk.gz")))) {
            out.write(new byte[1024]);
        }

        List<VmImport> vms = importer.plan(read("acme-suite.ovf"), dir, "vdc-1", "suite", false, PackageKind.VAPP, "import-1");

        assertThat(vms).extracting(VmImport::name).containsExactly(PackageImporter.vmName(read("acme-suite.ovf").virtualSystems().get(0).name()),
                PackageImporter.vmName(read("acme-suite.ovf").virtualSystems().get(1).name()));
        assertThat(vms.get(0).disks()).extracting(VmImport.Disk::capacityBytes).containsExactly(32 * GIB, 200 * GIB);
        assertThat(vms.get(1).disks()).extracting(VmImport.Disk::capacityBytes).containsExactly(20 * GIB, 100 * GIB);
    }

    @Test
    void anOvf2VmExpandsItsGzipDiskAndGetsAnEmptyImageForItsBlankDisk() throws IOException {
        OvfEnvelope suite = read("acme-suite.ovf");
        VirtualSystem app = suite.virtualSystems().get(1);
        // The vendor's app VM alone, written and read again as OVF 2.
        OvfEnvelope single = new OvfDescriptorReader().read(new OvfDescriptorWriter().write(
                new OvfEnvelope(suite.files(), suite.disks(), suite.networks(), app)));
        byte[] data = new byte[300_000];
        new Random(1).nextBytes(data);
        Files.write(dir.resolve("acme-app-system.vmdk"), new byte[8192]);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("acme-app-data.vmdk.gz")))) {
            out.write(data);
        }

        VmImport vm = importer.plan(single, dir, "vdc-1", null, true, PackageKind.VM, "import-1").get(0);

        assertThat(vm.name()).isEqualTo(PackageImporter.vmName(app.name()));
        assertThat(vm.cpus()).isEqualTo(2);
        assertThat(vm.memoryMb()).isEqualTo(8192);
        assertThat(vm.disks()).extracting(VmImport.Disk::capacityBytes).containsExactly(20 * GIB, 100 * GIB);
        assertThat(Files.readAllBytes(vm.disks().get(1).image())).isEqualTo(data);
        assertThat(vm.nics()).containsExactly(new VmImport.Nic(0, "frontend", "00:16:3e:5a:10:01"),
                new VmImport.Nic(1, "backend", "00:16:3e:5a:10:02"));

        VirtualSystem db = suite.virtualSystems().get(0);
        OvfEnvelope dbOnly = new OvfEnvelope(suite.files(), suite.disks(), suite.networks(), db);
        Files.write(dir.resolve("acme-db-system.vmdk"), new byte[512]);
        VmImport dbVm = importer.plan(dbOnly, dir, "vdc-1", null, false, PackageKind.VM, "import-1").get(0);
        assertThat(dbVm.disks()).extracting(VmImport.Disk::capacityBytes).containsExactly(32 * GIB, 200 * GIB);
        assertThat(dbVm.disks().get(1).image()).isEmptyFile();
    }

    @Test
    void aVmLargerThanWhatIsLeftOfTheVdcIsRefusedBeforeAnyFileIsLookedAt() {
        vdc = new VdcInfo("vdc-1", "acme", "acme-a", 64, 65536, 30, 0, 0, 15);

        assertThatThrownBy(() -> importer.check(read("debian12.ovf"), "vdc-1", PackageKind.VM))
                .isInstanceOfSatisfying(VccProblemException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.QUOTA_EXCEEDED);
                    assertThat(e.getMessage()).contains("storage GB 15+20 > 30");
                });
    }

    @Test
    void aMissingDiskFileIsRefusedWithAReason() {
        assertThatThrownBy(() -> importer.plan(read("debian12.ovf"), dir, "vdc-1", null, false, PackageKind.VM, "import-1").get(0))
                .isInstanceOfSatisfying(VccProblemException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.PACKAGE_INVALID);
                    assertThat(e.getMessage()).contains("debian12-disk001.vmdk");
                });
    }

    @Test
    void packageNamesBecomeVmNames() {
        assertThat(PackageImporter.vmName("Web Server (prod) #1")).isEqualTo("Web-Server-prod-1");
        assertThat(PackageImporter.vmName("--x")).isEqualTo("x");
        assertThat(PackageImporter.vmName("***")).isEqualTo("imported-vm");
        assertThat(PackageImporter.vmName("a".repeat(80))).hasSize(63);
    }

    private static OvfEnvelope read(String name) throws IOException {
        try (var in = PackageImporterTest.class.getResourceAsStream("/ovf/" + name)) {
            return new OvfDescriptorReader().read(in.readAllBytes());
        }
    }

    /** A cloud of one VDC, whatever {@link #vdc} says at the time. */
    private final class OneVdc implements CloudInventory {
        @Override
        public List<String> organizations() {
            return List.of(vdc.organization());
        }

        @Override
        public List<VdcInfo> vdcs(String organization) {
            return List.of(vdc);
        }

        @Override
        public Optional<VdcInfo> vdc(String vdcId) {
            return Optional.of(vdc).filter(v -> v.id().equals(vdcId));
        }

        @Override
        public List<VmInfo> vms(String vdcId) {
            return List.of();
        }

        @Override
        public CloudCapacity capacity() {
            return null;
        }
    }
}
