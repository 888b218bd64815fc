package io.vcc.node.adapter.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import io.vcc.api.node.NicInfo;
import io.vcc.api.node.PowerState;
import io.vcc.api.node.VappInfo;
import io.vcc.api.node.VdcInfo;
import io.vcc.api.node.VmInfo;
import io.vcc.api.node.VmSpec;
import io.vcc.ovf.VirtualDisk;
import io.vcc.api.problem.ProblemType;
import io.vcc.node.adapter.VmImport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.libvirt.Domain;

/**
 * The adapter against libvirt's {@code test:///default} driver: real domains, in this JVM's memory (shared by
 * all tests here, so each test works in VDCs of its own), real image files in a temporary directory.
 */
class LibvirtHypervisorTest extends LibvirtTestBed {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    private LibvirtHypervisor hypervisor;

    @BeforeEach
    void adapter() {
        hypervisor = newHypervisor(Duration.ofSeconds(5));
    }

    @Test
    void createdVmIsADomainWithItsHardwareAndASparseImage() throws Exception {
        VdcInfo vdc = director.add("alpha", 8, 8192, 100);

        VmInfo vm = hypervisor.createVm(vdc.id(), new VmSpec("web", 2, 1024, 3, null));

        assertThat(vm.vdcId()).isEqualTo(vdc.id());
        assertThat(vm.state()).isEqualTo(PowerState.POWERED_OFF);
        assertThat(hypervisor.vms(vdc.id())).containsExactly(vm);
        VmInfo read = hypervisor.vm(vm.id()).orElseThrow();
        assertThat(read.name()).isEqualTo("web");
        assertThat(read.cpus()).isEqualTo(2);
        assertThat(read.memoryMb()).isEqualTo(1024);
        assertThat(read.disks()).singleElement().satisfies(disk -> assertThat(disk.capacityBytes()).isEqualTo(3 * GIB));
        assertThat(read.nics()).singleElement().satisfies(nic -> {
            assertThat(nic.network()).isEqualTo("alpha-net");
            assertThat(nic.mac()).matches("52:54:00(:[0-9a-f]{2}){3}");
        });
        Domain domain = connection.connect().domainLookupByUUIDString(vm.id());
        assertThat(domain.getXMLDesc(0)).contains("<source network='alpha-net'/>", "<vcpu placement='static'>2</vcpu>");

        Path image = hypervisor.diskImages(vm.id()).get(0);
        assertThat(image).startsWith(imagesDir).isRegularFile();
        assertThat(Files.size(image)).isEqualTo(3 * GIB);
        assertThat(allocatedBytes(image)).as("allocated on disk").isLessThan(1 << 20);
        assertThat(hypervisor.vapps(vdc.id())).singleElement()
                .isEqualTo(new VappInfo(vm.vappId(), vdc.id(), "web", List.of(vm.id())));
        assertThat(hypervisor.withUsage(vdc)).extracting(VdcInfo::cpuUsed, VdcInfo::memoryMbUsed, VdcInfo::storageGbUsed)
                .containsExactly(2, 1024L, 3L);
    }

    @Test
    void removesImagesNoDomainRefersTo() throws Exception {
        VdcInfo vdc = director.add("orphans", 8, 8192, 100);
        VmInfo vm = hypervisor.createVm(vdc.id(), new VmSpec("kept", 1, 256, 1, null));
        Path orphan = Files.createDirectories(imagesDir.resolve(UUID.randomUUID().toString()));
        Files.write(orphan.resolve("disk-0.img"), new byte[] {1});
        Path notAVm = Files.createDirectories(imagesDir.resolve("lost+found"));

        hypervisor.removeImagesWithoutDomains();

        assertThat(orphan).doesNotExist();
        assertThat(notAVm).exists();
        assertThat(hypervisor.diskImages(vm.id()).get(0)).exists();
    }

    @Test
    void vmsOfOneVappShareIt() {
        VdcInfo vdc = director.add("vapps", 8, 8192, 100);

        VmInfo web = hypervisor.createVm(vdc.id(), new VmSpec("web", 1, 256, 1, null, "shop"));
        VmInfo db = hypervisor.createVm(vdc.id(), new VmSpec("db", 1, 256, 1, null, "shop"));

        assertThat(db.vappId()).isEqualTo(web.vappId());
        assertThat(hypervisor.vapp(web.vappId())).contains(new VappInfo(web.vappId(), vdc.id(), "shop", List.of(db.id(), web.id())));
    }

    @Test
    void powersOnAndOffAndDeletesOnlyWhenOff() {
        VdcInfo vdc = director.add("beta", 8, 8192, 100);
        VmInfo vm = hypervisor.createVm(vdc.id(), new VmSpec("app", 1, 512, 1, null));
        Path image = hypervisor.diskImages(vm.id()).get(0);

        assertThat(hypervisor.power(vm.id(), PowerState.POWERED_ON).state()).isEqualTo(PowerState.POWERED_ON);
        assertProblem(() -> hypervisor.deleteVm(vm.id()), ProblemType.INVALID_STATE);
        assertThat(hypervisor.vm(vm.id())).isPresent();
        assertThat(image).exists();

        assertThat(hypervisor.power(vm.id(), PowerState.POWERED_OFF).state()).isEqualTo(PowerState.POWERED_OFF);
        hypervisor.deleteVm(vm.id());

        assertThat(hypervisor.vm(vm.id())).isEmpty();
        assertThat(hypervisor.vms(vdc.id())).isEmpty();
        assertThat(image).doesNotExist();
        assertThat(imagesDir.resolve(vm.id())).doesNotExist();
        assertProblem(() -> hypervisor.deleteVm(vm.id()), ProblemType.NOT_FOUND);
    }

    @Test
    void importKeepsAFreeMacAndReplacesATakenOne() throws Exception {
        VdcInfo vdc = director.add("gamma", 8, 8192, 100, "backend");
        VmInfo existing = hypervisor.createVm(vdc.id(), new VmSpec("existing", 1, 256, 1, null));
        String taken = existing.nics().get(0).mac();
        Path staged = Files.createDirectories(home.resolve("staging"));
        Path image = Files.write(staged.resolve("a.img"), new byte[] {1, 2, 3, 4});

        VmInfo kept = hypervisor.importVm(vdc.id(), new VmImport("kept", 2, 768, List.of(new VmImport.Disk(0, 2 * GIB, image, null)),
                List.of(new VmImport.Nic(0, "backend", "02:AA:BB:CC:DD:01"), new VmImport.Nic(1, "elsewhere", null)), null));
        VmInfo renewed = hypervisor.importVm(vdc.id(), new VmImport("renewed", 1, 256,
                List.of(new VmImport.Disk(0, 1 * GIB, Files.write(staged.resolve("b.img"), new byte[] {5}), null)),
                List.of(new VmImport.Nic(0, "backend", taken)), null));

        assertThat(kept.nics()).extracting(NicInfo::network, NicInfo::mac)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("backend", "02:aa:bb:cc:dd:01"),
                        org.assertj.core.groups.Tuple.tuple("gamma-net", kept.nics().get(1).mac()));
        assertThat(kept.nics().get(1).mac()).isNotIn(taken, "02:aa:bb:cc:dd:01");
        assertThat(renewed.nics().get(0).mac()).isNotEqualTo(taken).matches("52:54:00(:[0-9a-f]{2}){3}");
        // The thin image is extended to its disk's capacity; its bytes are the package's.
        Path disk = hypervisor.diskImages(kept.id()).get(0);
        assertThat(kept.disks().get(0).capacityBytes()).isEqualTo(2 * GIB);
        assertThat(Files.size(disk)).isEqualTo(2 * GIB);
        try (var in = Files.newInputStream(disk)) {
            assertThat(in.readNBytes(5)).containsExactly(1, 2, 3, 4, 0);
        }
        assertThat(image).as("the staged file is left as it was").hasSize(4);
    }

    @Test
    void importOfAnImageAsLongAsItsDiskLinksIt() throws Exception {
        VdcInfo vdc = director.add("linked", 8, 8192, 100);
        Path image = home.resolve("full.img");
        Files.write(image, new byte[4096]);

        VmInfo vm = hypervisor.importVm(vdc.id(), new VmImport("full", 1, 256, List.of(new VmImport.Disk(0, 4096, image, null)), List.of(), null));

        assertThat(Files.isSameFile(hypervisor.diskImages(vm.id()).get(0), image)).isTrue();
    }

    @Test
    void refusesADuplicateNameAndChangesNothing() throws Exception {
        VdcInfo vdc = director.add("delta", 8, 8192, 100);
        hypervisor.createVm(vdc.id(), new VmSpec("same", 1, 256, 1, null));
        Path image = Files.write(home.resolve("x.img"), new byte[] {9});

        assertProblem(() -> hypervisor.createVm(vdc.id(), new VmSpec("same", 1, 256, 1, null)), ProblemType.DUPLICATE);
        assertProblem(() -> hypervisor.importVm(vdc.id(), new VmImport("same", 1, 256, List.of(new VmImport.Disk(0, 1, image, null)),
                List.of(), null)), ProblemType.DUPLICATE);
        assertProblem(() -> hypervisor.importVapp(vdc.id(), "pair", List.of(
                new VmImport("twin", 1, 256, List.of(), List.of(), null), new VmImport("twin", 1, 256, List.of(), List.of(), null))), ProblemType.DUPLICATE);

        assertThat(hypervisor.vms(vdc.id())).extracting(VmInfo::name).containsExactly("same");
        assertThat(imageDirectories()).hasSize(1);
        // The same name in another VDC is fine: domain names on the host are the VMs' ids.
        VdcInfo other = director.add("epsilon", 8, 8192, 100);
        assertThat(hypervisor.createVm(other.id(), new VmSpec("same", 1, 256, 1, null)).name()).isEqualTo("same");
    }

    @Test
    void refusesWhatOverrunsTheQuotaAndDefinesNothing() throws Exception {
        VdcInfo vdc = director.add("zeta", 4, 4096, 10);
        hypervisor.createVm(vdc.id(), new VmSpec("first", 3, 1024, 4, null));
        int domainsBefore = connection.connect().listAllDomains(0).length;

        assertProblem(() -> hypervisor.createVm(vdc.id(), new VmSpec("second", 2, 512, 1, null)), ProblemType.QUOTA_EXCEEDED);
        assertProblem(() -> hypervisor.createVm(vdc.id(), new VmSpec("third", 1, 512, 7, null)), ProblemType.QUOTA_EXCEEDED);
        Path image = Files.write(home.resolve("q.img"), new byte[] {1});
        assertProblem(() -> hypervisor.importVapp(vdc.id(), "big", List.of(
                new VmImport("a", 1, 256, List.of(new VmImport.Disk(0, 3 * GIB, image, null)), List.of(), null),
                new VmImport("b", 1, 256, List.of(new VmImport.Disk(0, 3 * GIB, image, null)), List.of(), null))), ProblemType.QUOTA_EXCEEDED);

        assertThat(connection.connect().listAllDomains(0)).hasSize(domainsBefore);
        assertThat(hypervisor.vms(vdc.id())).extracting(VmInfo::name).containsExactly("first");
        assertThat(imageDirectories()).hasSize(1);
    }

    @Test
    void vappImportIsAllOrNone() throws Exception {
        VdcInfo vdc = director.add("eta", 8, 8192, 100);
        Path good = Files.write(home.resolve("good.img"), new byte[] {1});
        Path missing = home.resolve("missing.img");

        assertProblem(() -> hypervisor.importVapp(vdc.id(), "half", List.of(
                new VmImport("one", 1, 256, List.of(new VmImport.Disk(0, 1024, good, null)), List.of(new VmImport.Nic(0, null, null)), null),
                new VmImport("two", 1, 256, List.of(new VmImport.Disk(0, 1024, missing, null)), List.of(), null))), ProblemType.INTERNAL);

        assertThat(hypervisor.vms(vdc.id())).isEmpty();
        assertThat(imageDirectories()).isEmpty();

        // Names come from packages: they reach libvirt's XML as text, not markup.
        String name = "a<b>&'\"c";
        VappInfo vapp = hypervisor.importVapp(vdc.id(), name, List.of(
                new VmImport("one", 1, 256, List.of(new VmImport.Disk(0, 1024, good, null)), List.of(new VmImport.Nic(0, null, null)), null)));
        assertThat(hypervisor.vapp(vapp.id())).get().extracting(VappInfo::name).isEqualTo(name);
    }

    @Test
    void anImportANodeLeftUncommittedIsDiscardedSoItsRetrySucceedsAlone() throws Exception {
        VdcInfo vdc = director.add("kappa", 8, 8192, 100);
        Path staged = Files.createDirectories(home.resolve("retry"));
        // Outside a transaction nothing undoes the domains: what a node stopped before its commit leaves.
        VappInfo left = hypervisor.importVapp(vdc.id(), "app", List.of(
                new VmImport("one", 1, 256, List.of(new VmImport.Disk(0, 1024, Files.write(staged.resolve("1.img"), new byte[] {1}), null)),
                        List.of(), "transfer-1"),
                new VmImport("two", 1, 256, List.of(new VmImport.Disk(0, 1024, Files.write(staged.resolve("2.img"), new byte[] {2}), null)),
                        List.of(), "transfer-1")));
        VmInfo other = hypervisor.importVm(vdc.id(), new VmImport("other", 1, 256,
                List.of(new VmImport.Disk(0, 1024, Files.write(staged.resolve("3.img"), new byte[] {3}), null)), List.of(), "transfer-2"));
        VmInfo made = hypervisor.createVm(vdc.id(), new VmSpec("made", 1, 256, 1, null));

        hypervisor.discardImport("transfer-1");

        assertThat(left.vmIds()).allSatisfy(id -> assertThat(hypervisor.vm(id)).isEmpty());
        assertThat(hypervisor.vms(vdc.id())).extracting(VmInfo::id).containsExactlyInAnyOrder(other.id(), made.id());
        assertThat(imageDirectories()).hasSize(2);
        VappInfo retried = hypervisor.importVapp(vdc.id(), "app", List.of(
                new VmImport("one", 1, 256, List.of(new VmImport.Disk(0, 1024, Files.write(staged.resolve("1.img"), new byte[] {1}), null)),
                        List.of(), "transfer-1"),
                new VmImport("two", 1, 256, List.of(new VmImport.Disk(0, 1024, Files.write(staged.resolve("2.img"), new byte[] {2}), null)),
                        List.of(), "transfer-1")));
        assertThat(hypervisor.vms(vdc.id())).extracting(VmInfo::name).containsExactly("made", "one", "other", "two");
        assertThat(hypervisor.vapp(retried.id())).get().extracting(VappInfo::vmIds).asList().hasSize(2);
        // The key stays with the domains on the host: a restarted node reads it back.
        hypervisor.discardImport("transfer-2");
        assertThat(hypervisor.vm(other.id())).isEmpty();
    }

    @Test
    void aVmdkDiskFromAPackageBecomesARawImageWithTheDisksBytes() throws Exception {
        LibvirtRequired.qemuImg();
        VdcInfo vdc = director.add("mu", 8, 8192, 100);
        byte[] data = new byte[3 * (int) MIB];
        new Random(3).nextBytes(data);
        Arrays.fill(data, (int) MIB, 2 * (int) MIB, (byte) 0);
        Path raw = Files.write(home.resolve("disk.raw"), data);
        Path vmdk = home.resolve("disk.vmdk");
        Process made = new ProcessBuilder("qemu-img", "convert", "-f", "raw", "-O", "vmdk", "-o", "subformat=streamOptimized",
                raw.toString(), vmdk.toString()).inheritIO().start();
        assertThat(made.waitFor()).isZero();
        assertThat(Files.readAllBytes(vmdk)).as("a VMDK, not raw bytes").startsWith('K', 'D', 'M', 'V').isNotEqualTo(data);

        VmInfo vm = hypervisor.importVm(vdc.id(), new VmImport("appliance", 1, 256,
                List.of(new VmImport.Disk(0, 4 * MIB, vmdk, VirtualDisk.VMDK_STREAM_OPTIMIZED)), List.of(), null));

        Path image = hypervisor.diskImages(vm.id()).get(0);
        assertThat(Files.size(image)).isEqualTo(4 * MIB);
        byte[] read = Files.readAllBytes(image);
        assertThat(Arrays.copyOf(read, data.length)).isEqualTo(data);
        assertThat(Arrays.copyOfRange(read, data.length, read.length)).containsOnly(0);
        assertThat(vmdk).as("the staged file is left as it was").exists();
    }

    @Test
    void aDiskNoImageConversionCanReadIsRefusedAndNothingIsDefined() throws Exception {
        LibvirtRequired.qemuImg();
        VdcInfo vdc = director.add("nu", 8, 8192, 100);
        Path good = Files.write(home.resolve("good.raw"), new byte[] {1});
        Path garbage = Files.write(home.resolve("garbage.vmdk"), "not a vmdk at all".getBytes());

        assertProblem(() -> hypervisor.importVm(vdc.id(), new VmImport("odd", 1, 256,
                List.of(new VmImport.Disk(0, MIB, good, "http://example.com/formats/unknown")), List.of(), null)),
                ProblemType.PACKAGE_UNSUPPORTED);
        assertProblem(() -> hypervisor.importVapp(vdc.id(), "pair", List.of(
                new VmImport("fine", 1, 256, List.of(new VmImport.Disk(0, MIB, good, null)), List.of(), null),
                new VmImport("broken", 1, 256, List.of(new VmImport.Disk(0, MIB, garbage, VirtualDisk.VMDK_STREAM_OPTIMIZED)),
                        List.of(), null))), ProblemType.PACKAGE_INVALID);
        LibvirtHypervisor withoutQemuImg = new LibvirtHypervisor(connection,
                new LibvirtImages(imagesDir, qemuImg(home.resolve("no-such-qemu-img").toString())), director, "", Duration.ZERO);
        assertProblem(() -> withoutQemuImg.importVm(vdc.id(), new VmImport("later", 1, 256,
                List.of(new VmImport.Disk(0, MIB, garbage, VirtualDisk.VMDK_STREAM_OPTIMIZED)), List.of(), null)),
                ProblemType.PACKAGE_UNSUPPORTED);

        assertThat(hypervisor.vms(vdc.id())).isEmpty();
        assertThat(imageDirectories()).isEmpty();
    }

    @Test
    void domainsWithoutOurMetadataAreInvisible() throws Exception {
        VdcInfo vdc = director.add("theta", 8, 8192, 100);
        String builtIn = connection.connect().domainLookupByName("test").getUUIDString();
        UUID foreignId = UUID.randomUUID();
        connection.connect().domainDefineXML("<domain type='test'><name>foreign-" + foreignId + "</name><uuid>" + foreignId
                + "</uuid><memory unit='MiB'>128</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>");

        assertThat(hypervisor.vm(builtIn)).isEmpty();
        assertThat(hypervisor.vm(foreignId.toString())).isEmpty();
        assertThat(hypervisor.vm("not-a-uuid")).isEmpty();
        assertThat(hypervisor.vms(vdc.id())).isEmpty();
        assertProblem(() -> hypervisor.diskImages(foreignId.toString()), ProblemType.NOT_FOUND);
        assertProblem(() -> hypervisor.deleteVm(foreignId.toString()), ProblemType.NOT_FOUND);
        assertProblem(() -> hypervisor.power(builtIn, PowerState.POWERED_OFF), ProblemType.NOT_FOUND);
        assertThat(connection.connect().domainLookupByName("test").isActive()).isEqualTo(1);
    }

    @Test
    void refusesUnknownVdcsAndNetworks() {
        VdcInfo vdc = director.add("iota", 8, 8192, 100);

        assertProblem(() -> hypervisor.createVm(UUID.randomUUID().toString(), new VmSpec("x", 1, 256, 1, null)), ProblemType.NOT_FOUND);
        assertProblem(() -> hypervisor.vms("nope"), ProblemType.NOT_FOUND);
        assertProblem(() -> hypervisor.createVm(vdc.id(), new VmSpec("x", 1, 256, 1, "nowhere")), ProblemType.VALIDATION);
        assertThat(hypervisor.vms(vdc.id())).isEmpty();
    }

    private List<Path> imageDirectories() throws IOException {
        if (!Files.exists(imagesDir)) {
            return List.of();
        }
        try (Stream<Path> directories = Files.list(imagesDir)) {
            return directories.toList();
        }
    }
}
