package io.vcc.node.adapter.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vcc.api.node.InstantiateRequest;
import io.vcc.api.node.PowerState;
import io.vcc.api.node.TemplateInfo;
import io.vcc.api.node.TemplateSpec;
import io.vcc.api.node.VappInfo;
import io.vcc.api.node.VdcInfo;
import io.vcc.api.node.VdcSpec;
import io.vcc.api.node.VmInfo;
import io.vcc.api.node.VmSpec;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.adapter.CloudDirectorAdapter;
import io.vcc.node.adapter.HypervisorAdapter;
import io.vcc.node.adapter.TemplateCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/** The simulated cloud on a real PostgreSQL with real disk files: what a caller of the adapters can rely on. */
@SpringBootTest(properties = {"spring.config.name=vcc-node", "vcc.service-name=vcc-node-sim-test"})
@ActiveProfiles("test")
class SimCloudTest {

    @Autowired
    CloudDirectorAdapter director;
    @Autowired
    HypervisorAdapter hypervisor;
    @Autowired
    TemplateCatalog catalog;
    @Autowired
    SimFaults faults;

    @Autowired
    SimDiskFiles diskFiles;

    @AfterEach
    void clearFaults() {
        faults.clear();
    }

    private VdcInfo vdc(int cpus, long storageGb) {
        return director.createVdc(new VdcSpec("org-" + UUID.randomUUID().toString().substring(0, 6), "vdc", cpus, 8192, storageGb));
    }

    @Test
    void aProvisionedVmHasARealSparseDiskAUniqueMacAndAnAddressOfItsNetwork() throws Exception {
        VdcInfo vdc = vdc(8, 100);
        VmInfo vm = hypervisor.createVm(vdc.id(), new VmSpec("web-1", 2, 1024, 5, null));

        assertThat(vm.disks()).singleElement().satisfies(disk -> assertThat(disk.capacityBytes()).isEqualTo(5L << 30));
        Path file = diskFile(vm);
        assertThat(Files.size(file)).isEqualTo(5L << 30);
        assertThat(allocatedBlocks(file)).as("sparse: nothing allocated yet").isZero();
        assertThat(vm.nics()).singleElement().satisfies(nic -> {
            assertThat(nic.network()).isEqualTo("vdc-net");
            assertThat(nic.ip()).isEqualTo("192.168.100.10");
            assertThat(nic.mac()).startsWith("00:50:56:");
        });
        VmInfo second = hypervisor.createVm(vdc.id(), new VmSpec("web-2", 1, 512, 1, "vdc-net"));
        assertThat(second.nics().get(0).ip()).isEqualTo("192.168.100.11");
        assertThat(second.nics().get(0).mac()).isNotEqualTo(vm.nics().get(0).mac());
        assertThat(director.vdc(vdc.id()).orElseThrow().cpuUsed()).isEqualTo(3);
        assertThat(hypervisor.vapps(vdc.id())).hasSize(2);
    }

    @Test
    void provisioningBeyondTheQuotaIsRefusedAndLeavesNothing() {
        VdcInfo vdc = vdc(4, 10);
        hypervisor.createVm(vdc.id(), new VmSpec("a", 2, 1024, 8, null));
        assertProblem(() -> hypervisor.createVm(vdc.id(), new VmSpec("b", 3, 1024, 1, null)), ProblemType.QUOTA_EXCEEDED);
        assertProblem(() -> hypervisor.createVm(vdc.id(), new VmSpec("c", 1, 1024, 3, null)), ProblemType.QUOTA_EXCEEDED);
        assertThat(director.vms(vdc.id())).extracting(VmInfo::name).containsExactly("a");
        assertThat(hypervisor.vapps(vdc.id())).hasSize(1);
    }

    @Test
    void concurrentProvisioningCannotOverrunTheQuotaTogether() throws Exception {
        VdcInfo vdc = vdc(4, 100);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> attempts = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String name = "vm-" + i;
                attempts.add(pool.submit(() -> hypervisor.createVm(vdc.id(), new VmSpec(name, 1, 256, 1, null))));
            }
            int created = 0;
            for (Future<?> attempt : attempts) {
                try {
                    attempt.get();
                    created++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(VccProblemException.class);
                    assertThat(((VccProblemException) e.getCause()).type()).isEqualTo(ProblemType.QUOTA_EXCEEDED);
                }
            }
            assertThat(created).isEqualTo(4);
            assertThat(director.vms(vdc.id())).hasSize(4);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anInjectedFailureRollsBackTheVmAndItsDiskFile() throws Exception {
        VdcInfo vdc = vdc(8, 100);
        Set<Path> before = diskDirectories();
        faults.failNext("create-vm", 1);
        assertProblem(() -> hypervisor.createVm(vdc.id(), new VmSpec("doomed", 1, 512, 1, null)), ProblemType.SIMULATED_FAULT);
        assertThat(director.vms(vdc.id())).isEmpty();
        assertThat(hypervisor.vapps(vdc.id())).isEmpty();
        assertThat(diskDirectories()).as("the disk file made before the failure is gone").isEqualTo(before);
        // The fault counted itself off: the next attempt works.
        assertThat(hypervisor.createVm(vdc.id(), new VmSpec("doomed", 1, 512, 1, null)).name()).isEqualTo("doomed");
    }

    @Test
    void aVmIsDeletedOnlyWhenPoweredOffAndTakesItsDiskWithIt() {
        VdcInfo vdc = vdc(8, 100);
        VmInfo vm = hypervisor.createVm(vdc.id(), new VmSpec("db", 2, 2048, 2, null));
        assertThat(hypervisor.power(vm.id(), PowerState.POWERED_ON).state()).isEqualTo(PowerState.POWERED_ON);
        assertProblem(() -> hypervisor.deleteVm(vm.id()), ProblemType.INVALID_STATE);
        assertProblem(() -> director.deleteVdc(vdc.id()), ProblemType.INVALID_STATE);
        assertThat(Files.exists(diskFile(vm))).isTrue();

        hypervisor.power(vm.id(), PowerState.POWERED_OFF);
        hypervisor.deleteVm(vm.id());
        assertThat(hypervisor.vm(vm.id())).isEmpty();
        assertThat(Files.exists(diskFile(vm))).isFalse();
        director.deleteVdc(vdc.id());
        assertThat(director.vdc(vdc.id())).isEmpty();
    }

    @Test
    void theCloudRefusesToAllocateMoreThanItsCapacityAndNamesWhatIsFree() {
        VccProblemException e = assertProblem(() -> director.createVdc(new VdcSpec("greedy", "all", 1000, 128, 1)),
                ProblemType.CAPACITY_EXHAUSTED);
        assertThat(e.getMessage()).contains("free:");
        assertThat(director.vdcs("greedy")).isEmpty();
    }

    @Test
    void unknownIdsAreNotFound() {
        assertProblem(() -> director.vms("not-a-uuid"), ProblemType.NOT_FOUND);
        assertProblem(() -> hypervisor.createVm(UUID.randomUUID().toString(), new VmSpec("x", 1, 512, 1, null)), ProblemType.NOT_FOUND);
        assertThat(hypervisor.vm(UUID.randomUUID().toString())).isEmpty();
    }

    @Test
    void aVappCapturedAsATemplateInstantiatesIntoCopiesWithTheSameDisks() throws Exception {
        VdcInfo vdc = vdc(8, 5);
        VmInfo web = hypervisor.createVm(vdc.id(), new VmSpec("web", 2, 1024, 1, null, "shop"));
        VmInfo db = hypervisor.createVm(vdc.id(), new VmSpec("db", 1, 512, 1, null, "shop"));
        assertThat(db.vappId()).isEqualTo(web.vappId());
        byte[] content = "the web server's data".getBytes();
        Files.write(diskFile(web), content, java.nio.file.StandardOpenOption.WRITE);
        hypervisor.power(web.id(), PowerState.POWERED_ON);
        assertProblem(() -> catalog.captureTemplate(vdc.id(), new TemplateSpec("shop-v1", web.vappId())), ProblemType.INVALID_STATE);
        hypervisor.power(web.id(), PowerState.POWERED_OFF);

        TemplateInfo template = catalog.captureTemplate(vdc.id(), new TemplateSpec("shop-v1", web.vappId()));

        assertThat(template.vms()).extracting(VmInfo::name).containsExactly("db", "web");
        assertThat(director.vms(vdc.id())).extracting(VmInfo::name).containsExactlyInAnyOrder("web", "db");
        assertThat(hypervisor.vapps(vdc.id())).extracting(VappInfo::name).containsExactly("shop");
        assertThat(director.vdc(vdc.id()).orElseThrow().storageGbUsed()).as("VMs and template each hold 2 GB").isEqualTo(4);
        assertThat(director.vdc(vdc.id()).orElseThrow().cpuUsed()).as("a template runs nothing").isEqualTo(3);
        VmInfo templateWeb = template.vms().get(1);
        assertThat(prefix(diskFile(templateWeb), content.length)).isEqualTo(content);
        assertThat(allocatedBlocks(diskFile(templateWeb))).as("the copy stays sparse: one 1 MiB block of data and the last byte").isLessThan(4096);
        assertProblem(() -> hypervisor.power(templateWeb.id(), PowerState.POWERED_ON), ProblemType.INVALID_STATE);
        assertProblem(() -> catalog.captureTemplate(vdc.id(), new TemplateSpec("shop-v1", web.vappId())), ProblemType.DUPLICATE);
        assertProblem(() -> catalog.captureTemplate(vdc.id(), new TemplateSpec("shop-v2", web.vappId())), ProblemType.QUOTA_EXCEEDED);

        assertProblem(() -> catalog.instantiateTemplate(template.id(), new InstantiateRequest("shop2")), ProblemType.QUOTA_EXCEEDED);
        hypervisor.deleteVm(db.id());
        VappInfo copy = catalog.instantiateTemplate(template.id(), new InstantiateRequest("shop2"));

        List<VmInfo> copies = copy.vmIds().stream().map(id -> hypervisor.vm(id).orElseThrow()).toList();
        assertThat(copies).extracting(VmInfo::name).containsExactly("shop2-db", "shop2-web");
        assertThat(copies.get(1).nics().get(0).mac()).isNotEqualTo(web.nics().get(0).mac());
        assertThat(prefix(diskFile(copies.get(1)), content.length)).isEqualTo(content);
        assertProblem(() -> catalog.instantiateTemplate(template.id(), new InstantiateRequest("shop2")), ProblemType.DUPLICATE);

        catalog.deleteTemplate(template.id());
        assertThat(catalog.templates(vdc.id())).isEmpty();
        assertThat(diskFile(templateWeb)).doesNotExist();
        assertThat(catalog.template(template.id())).isEmpty();
    }

    private static byte[] prefix(Path file, int length) throws Exception {
        try (var in = Files.newInputStream(file)) {
            return in.readNBytes(length);
        }
    }

    @Test
    void diskFilesOfVmsTheCloudDoesNotHoldAreRemovedBeforeTheNodeServes() throws Exception {
        VmInfo kept = hypervisor.createVm(vdc(4, 10).id(), new VmSpec("kept-1", 1, 512, 1, null));
        // What a node killed between linking an imported image and committing its VM leaves behind.
        Path leftover = diskFile(kept).getParent().resolveSibling(UUID.randomUUID().toString()).resolve("disk-0.img");
        Files.createDirectories(leftover.getParent());
        Files.write(leftover, new byte[4096]);
        Path notAVm = Files.createDirectories(diskFile(kept).getParent().resolveSibling("lost+found"));

        diskFiles.afterSingletonsInstantiated();

        assertThat(leftover.getParent()).doesNotExist();
        assertThat(diskFile(kept)).exists();
        assertThat(notAVm).exists();
    }

    private static Path diskFile(VmInfo vm) {
        return Path.of("target/test-home/vcc-node-sim-test/disks", vm.id(), "disk-0.img");
    }

    private static long allocatedBlocks(Path file) throws Exception {
        Process stat = new ProcessBuilder("stat", "-c", "%b", file.toString()).redirectErrorStream(true).start();
        String out = new String(stat.getInputStream().readAllBytes()).trim();
        assertThat(stat.waitFor()).as(out).isZero();
        return Long.parseLong(out);
    }

    private static Set<Path> diskDirectories() throws Exception {
        Path root = Path.of("target/test-home/vcc-node-sim-test/disks");
        if (!Files.exists(root)) {
            return Set.of();
        }
        try (var list = Files.list(root)) {
            return new HashSet<>(list.toList());
        }
    }

    private static VccProblemException assertProblem(ThrowingCallable call, ProblemType type) {
        VccProblemException problem = catchThrowableOfType(VccProblemException.class, call);
        assertThat(problem).as("expected a " + type + " problem").isNotNull();
        assertThat(problem.type()).isEqualTo(type);
        return problem;
    }
}
