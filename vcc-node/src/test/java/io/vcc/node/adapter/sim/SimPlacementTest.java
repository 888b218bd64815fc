package io.vcc.node.adapter.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import io.vcc.api.node.HostInfo;
import io.vcc.api.node.InstantiateRequest;
import io.vcc.api.node.PowerState;
import io.vcc.api.node.TemplateInfo;
import io.vcc.api.node.TemplateSpec;
import io.vcc.api.node.TenantUsage;
import io.vcc.api.node.VdcInfo;
import io.vcc.api.node.VdcSpec;
import io.vcc.api.node.VmInfo;
import io.vcc.api.node.VmSpec;
import io.vcc.api.node.ZoneInfo;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.adapter.CloudDirectorAdapter;
import io.vcc.node.adapter.CloudTopology;
import io.vcc.node.adapter.HypervisorAdapter;
import io.vcc.node.adapter.TemplateCatalog;
import io.vcc.node.adapter.VmImport;
import io.vcc.api.node.VappInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * Placement in a small simulated cloud on a real PostgreSQL: one zone with VLANs 100–102 and one pod of three
 * hosts of 4 CPUs, 8 GiB and 100 GB each. Every test removes what it made, so each starts on empty hosts.
 */
@SpringBootTest(properties = {"spring.config.name=vcc-node", "vcc.service-name=vcc-node-placement-test",
        "vcc.sim.cpus=100000", "vcc.sim.memory-mb=100000000", "vcc.sim.storage-gb=100000000",
        "vcc.sim.topology.zones[0].name=z1", "vcc.sim.topology.zones[0].vlans=100-102",
        "vcc.sim.topology.zones[0].pods[0].name=p1", "vcc.sim.topology.zones[0].pods[0].hosts=3",
        "vcc.sim.topology.zones[0].pods[0].cpus=4", "vcc.sim.topology.zones[0].pods[0].memory-mb=8192",
        "vcc.sim.topology.zones[0].pods[0].storage-gb=100",
        "spring.datasource.hikari.maximum-pool-size=20"})
@ActiveProfiles("test")
class SimPlacementTest {

    private static final Path DISKS = Path.of("target/test-home/vcc-node-placement-test/disks");

    @Autowired
    CloudDirectorAdapter director;
    @Autowired
    HypervisorAdapter hypervisor;
    @Autowired
    TemplateCatalog catalog;
    @Autowired
    CloudTopology topology;
    @Autowired
    SimVms vms;
    @Autowired
    SimHosts hosts;
    @Autowired
    SimUsagePeriods periods;
    @Autowired
    SimTopologySeed seed;
    @Autowired
    JdbcClient jdbc;

    private final List<VdcInfo> made = new ArrayList<>();

    @AfterEach
    void removeWhatTheTestMade() {
        for (VdcInfo vdc : made) {
            catalog.templates(vdc.id()).forEach(template -> catalog.deleteTemplate(template.id()));
            for (VmInfo vm : hypervisor.vms(vdc.id())) {
                hypervisor.power(vm.id(), PowerState.POWERED_OFF);
                hypervisor.deleteVm(vm.id());
            }
            director.deleteVdc(vdc.id());
        }
        made.clear();
        assertThat(topology.hosts()).allSatisfy(host -> assertThat(host.vms()).isZero());
        assertThat(topology.zones()).singleElement().satisfies(zone -> assertThat(zone.vlans()).isEmpty());
    }

    private VdcInfo vdc(String organization) {
        VdcInfo vdc = director.createVdc(new VdcSpec(organization, "vdc-" + made.size(), 64, 65536, 1000));
        made.add(vdc);
        return vdc;
    }

    private static String organization() {
        return "org-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void theTopologyIsReportedAsConfigured() {
        assertThat(topology.zones()).singleElement().satisfies(zone -> {
            assertThat(zone.name()).isEqualTo("z1");
            assertThat(zone.vlanFirst()).isEqualTo(100);
            assertThat(zone.vlanLast()).isEqualTo(102);
        });
        assertThat(topology.hosts()).extracting(HostInfo::zone, HostInfo::pod, HostInfo::name, HostInfo::cpus, HostInfo::memoryMb,
                HostInfo::storageGb).containsExactly(
                org.assertj.core.groups.Tuple.tuple("z1", "p1", "host-1", 4, 8192L, 100L),
                org.assertj.core.groups.Tuple.tuple("z1", "p1", "host-2", 4, 8192L, 100L),
                org.assertj.core.groups.Tuple.tuple("z1", "p1", "host-3", 4, 8192L, 100L));
    }

    @Test
    void eachVmGoesToTheLeastLoadedHostWithRoom() {
        VdcInfo vdc = vdc(organization());
        VmInfo big = hypervisor.createVm(vdc.id(), new VmSpec("big", 2, 1024, 10, null));
        VmInfo second = hypervisor.createVm(vdc.id(), new VmSpec("second", 1, 1024, 1, null));
        VmInfo third = hypervisor.createVm(vdc.id(), new VmSpec("third", 1, 1024, 1, null));
        VmInfo fourth = hypervisor.createVm(vdc.id(), new VmSpec("fourth", 1, 1024, 1, null));
        // host-1 holds half its CPUs after "big"; the next two go to the empty hosts, the fourth to the first
        // of the two at a quarter.
        assertThat(hostOf(big)).isEqualTo("host-1");
        assertThat(hostOf(second)).isEqualTo("host-2");
        assertThat(hostOf(third)).isEqualTo("host-3");
        assertThat(hostOf(fourth)).isEqualTo("host-2");
        assertThat(topology.hosts()).extracting(HostInfo::cpusUsed, HostInfo::memoryMbUsed, HostInfo::storageGbUsed, HostInfo::vms)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2, 1024L, 10L, 1),
                        org.assertj.core.groups.Tuple.tuple(2, 2048L, 2L, 2),
                        org.assertj.core.groups.Tuple.tuple(1, 1024L, 1L, 1));
    }

    @Test
    void aVmNoHostHasRoomForIsRefusedAndNothingOfItIsMade() throws Exception {
        String organization = organization();
        VdcInfo vdc = vdc(organization);
        Set<Path> disksBefore = diskDirectories();

        VccProblemException refused = assertProblem(() -> hypervisor.createVm(vdc.id(), new VmSpec("huge", 5, 1024, 1, null)),
                ProblemType.PLACEMENT_FAILED);

        assertThat(refused.getMessage()).contains("Not possible to start the VM huge", "5 CPUs", "zone z1", "4 CPUs");
        assertThat(hypervisor.vms(vdc.id())).isEmpty();
        assertThat(hypervisor.vapps(vdc.id())).isEmpty();
        assertThat(diskDirectories()).isEqualTo(disksBefore);
        assertThat(topology.zones().get(0).vlans()).as("a refused first VM takes no VLAN").isEmpty();
        assertThat(topology.usage()).extracting(TenantUsage::organization).doesNotContain(organization);

        // Memory and storage count as CPUs do.
        assertProblem(() -> hypervisor.createVm(vdc.id(), new VmSpec("fat", 1, 9000, 1, null)), ProblemType.PLACEMENT_FAILED);
        assertProblem(() -> hypervisor.createVm(vdc.id(), new VmSpec("wide", 1, 512, 101, null)), ProblemType.PLACEMENT_FAILED);
        assertThat(hypervisor.vms(vdc.id())).isEmpty();
    }

    @Test
    void aTemplateInstanceIsPlacedAllOrNone() {
        VdcInfo vdc = vdc(organization());
        VmInfo web = hypervisor.createVm(vdc.id(), new VmSpec("web", 3, 1024, 1, null, "shop"));
        VmInfo db = hypervisor.createVm(vdc.id(), new VmSpec("db", 3, 1024, 1, null, "shop"));
        TemplateInfo template = catalog.captureTemplate(vdc.id(), new TemplateSpec("shop-v1", web.vappId()));
        assertThat(vms.findByVappIdOrderByName(UUID.fromString(template.id()))).as("templates' VMs sit on no host")
                .allSatisfy(vm -> assertThat(vm.hostId()).isNull());

        // One host has 1 CPU left, two hosts none: an instance of two 3-CPU VMs fits nowhere.
        hypervisor.createVm(vdc.id(), new VmSpec("filler", 1, 512, 1, null));
        assertThat(topology.hosts()).extracting(HostInfo::cpusUsed).containsExactlyInAnyOrder(3, 3, 1);
        assertProblem(() -> catalog.instantiateTemplate(template.id(), new InstantiateRequest("shop2")), ProblemType.PLACEMENT_FAILED);
        assertThat(hypervisor.vapps(vdc.id())).extracting(v -> v.name()).containsExactlyInAnyOrder("shop", "filler");

        hypervisor.deleteVm(db.id());
        hypervisor.power(web.id(), PowerState.POWERED_OFF);
        hypervisor.deleteVm(web.id());
        List<String> copies = catalog.instantiateTemplate(template.id(), new InstantiateRequest("shop2")).vmIds();
        assertThat(copies).hasSize(2).allSatisfy(id -> assertThat(vms.findById(UUID.fromString(id)).orElseThrow().hostId()).isNotNull());
        assertThat(topology.hosts()).allSatisfy(host -> assertThat(host.cpusUsed()).isLessThanOrEqualTo(host.cpus()));
    }

    @Test
    void vmsMadeBeforeTheCloudHadHostsArePlacedWhenTheNodeStarts() {
        String organization = organization();
        VdcInfo vdc = vdc(organization);
        VmInfo old = hypervisor.createVm(vdc.id(), new VmSpec("old", 2, 1024, 3, null));
        // As an older node's database has it: no host, no usage period.
        jdbc.sql("update sim_vm set host_id = null where id = ?").param(UUID.fromString(old.id())).update();
        jdbc.sql("delete from sim_usage_period where vm_id = ?").param(UUID.fromString(old.id())).update();
        assertThat(topology.hosts()).allSatisfy(host -> assertThat(host.vms()).isZero());

        seed.afterSingletonsInstantiated();

        assertThat(topology.hosts()).extracting(HostInfo::name, HostInfo::cpusUsed, HostInfo::vms).containsExactly(
                org.assertj.core.groups.Tuple.tuple("host-1", 2, 1), org.assertj.core.groups.Tuple.tuple("host-2", 0, 0),
                org.assertj.core.groups.Tuple.tuple("host-3", 0, 0));
        assertThat(usageOf(organization).vms()).isEqualTo(1);
        assertThat(usageOf(organization).storageGb()).isEqualTo(3);
    }

    @Test
    void anImportedVappIsPlacedAllOrNone(@TempDir Path staging) throws Exception {
        VdcInfo vdc = vdc(organization());
        List<VmImport> four = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Path image = Files.write(staging.resolve("disk-" + i + ".img"), new byte[4096]);
            four.add(new VmImport("node-" + i, 3, 1024, List.of(new VmImport.Disk(0, 1L << 30, image, null)),
                    List.of(new VmImport.Nic(0, null, null)), "import-" + i));
        }
        Set<Path> disksBefore = diskDirectories();
        // Three hosts of 4 CPUs take three VMs of 3 CPUs, not four: the whole vApp is refused.
        assertProblem(() -> hypervisor.importVapp(vdc.id(), "cluster", four), ProblemType.PLACEMENT_FAILED);
        assertThat(hypervisor.vapps(vdc.id())).isEmpty();
        assertThat(diskDirectories()).isEqualTo(disksBefore);
        assertThat(staging.resolve("disk-0.img")).as("the staged images stay their owner's").exists();

        VappInfo three = hypervisor.importVapp(vdc.id(), "cluster", four.subList(0, 3));
        assertThat(three.vmIds()).hasSize(3);
        assertThat(topology.hosts()).extracting(HostInfo::cpusUsed).containsExactly(3, 3, 3);
    }

    @Test
    void vmsOfAnAntiAffinityGroupNeverShareAHost() {
        String organization = organization();
        VdcInfo vdc = vdc(organization);
        Set<String> used = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            used.add(hostOf(hypervisor.createVm(vdc.id(), new VmSpec("db-" + i, 1, 512, 1, null, null, "db"))));
        }
        assertThat(used).containsExactlyInAnyOrder("host-1", "host-2", "host-3");
        VccProblemException refused = assertProblem(
                () -> hypervisor.createVm(vdc.id(), new VmSpec("db-3", 1, 512, 1, null, null, "db")), ProblemType.PLACEMENT_FAILED);
        assertThat(refused.getMessage()).contains("anti-affinity group db");
        // The hosts have room: outside the group, and for another organization's group of the same name, it fits.
        hypervisor.createVm(vdc.id(), new VmSpec("web", 1, 512, 1, null));
        VdcInfo other = vdc(organization());
        hypervisor.createVm(other.id(), new VmSpec("db-0", 1, 512, 1, null, null, "db"));
        assertThat(hypervisor.vms(vdc.id())).extracting(VmInfo::name).containsExactly("db-0", "db-1", "db-2", "web");
    }

    @Test
    void fiftyVmsCreatedAtOnceNeverOverCommitAHostAndTheRestAreRefusedCleanly() throws Exception {
        String organization = organization();
        List<VdcInfo> vdcs = List.of(vdc(organization), vdc(organization), vdc(organization), vdc(organization), vdc(organization));
        Set<Path> disksBefore = diskDirectories();
        ExecutorService pool = Executors.newFixedThreadPool(50);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<VmInfo>> attempts = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                String vdcId = vdcs.get(i % vdcs.size()).id();
                String name = "vm-" + i;
                attempts.add(pool.submit(() -> {
                    start.await();
                    return hypervisor.createVm(vdcId, new VmSpec(name, 1, 1024, 5, null));
                }));
            }
            start.countDown();
            List<VmInfo> created = new ArrayList<>();
            int refused = 0;
            for (Future<VmInfo> attempt : attempts) {
                try {
                    created.add(attempt.get());
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(VccProblemException.class);
                    assertThat(((VccProblemException) e.getCause()).type()).isEqualTo(ProblemType.PLACEMENT_FAILED);
                    refused++;
                }
            }
            // 3 hosts x 4 CPUs: exactly twelve 1-CPU VMs fit, and every host is full, none beyond.
            assertThat(created).hasSize(12);
            assertThat(refused).isEqualTo(38);
            assertThat(topology.hosts()).allSatisfy(host -> {
                assertThat(host.cpusUsed()).isEqualTo(4);
                assertThat(host.memoryMbUsed()).isLessThanOrEqualTo(host.memoryMb());
                assertThat(host.vms()).isEqualTo(4);
            });
            assertThat(vdcs.stream().mapToInt(vdc -> hypervisor.vms(vdc.id()).size()).sum()).isEqualTo(12);
            Set<Path> disksAfter = diskDirectories();
            disksAfter.removeAll(disksBefore);
            assertThat(disksAfter).as("disk files only of the VMs made")
                    .isEqualTo(created.stream().map(vm -> DISKS.resolve(vm.id())).collect(Collectors.toSet()));
            assertThat(topology.zones().get(0).vlans()).singleElement().satisfies(vlan -> assertThat(vlan.organization()).isEqualTo(organization));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void eachAccountTakesOneVlanOfTheZoneUntilItsLastVmThereIsGone() {
        String a = organization();
        String b = organization();
        String c = organization();
        String d = organization();
        VdcInfo vdcA = vdc(a);
        VdcInfo vdcB = vdc(b);
        VdcInfo vdcC = vdc(c);
        VdcInfo vdcD = vdc(d);
        hypervisor.createVm(vdcA.id(), new VmSpec("a-1", 1, 512, 1, null));
        hypervisor.createVm(vdcA.id(), new VmSpec("a-2", 1, 512, 1, null));
        VmInfo b1 = hypervisor.createVm(vdcB.id(), new VmSpec("b-1", 1, 512, 1, null));
        VmInfo b2 = hypervisor.createVm(vdcB.id(), new VmSpec("b-2", 1, 512, 1, null));
        hypervisor.createVm(vdcC.id(), new VmSpec("c-1", 1, 512, 1, null));
        assertThat(vlans()).isEqualTo(Map.of(a, 100, b, 101, c, 102));

        VccProblemException refused = assertProblem(() -> hypervisor.createVm(vdcD.id(), new VmSpec("d-1", 1, 512, 1, null)),
                ProblemType.VLAN_RANGE_EXHAUSTED);
        assertThat(refused.getMessage()).contains("Not possible to start a VM for account " + d, "zone z1", "100-102");
        assertThat(hypervisor.vms(vdcD.id())).isEmpty();

        hypervisor.deleteVm(b1.id());
        assertThat(vlans()).as("b still has a VM in the zone").containsEntry(b, 101);
        hypervisor.deleteVm(b2.id());
        assertThat(vlans()).isEqualTo(Map.of(a, 100, c, 102));

        hypervisor.createVm(vdcD.id(), new VmSpec("d-1", 1, 512, 1, null));
        assertThat(vlans()).isEqualTo(Map.of(a, 100, c, 102, d, 101));
    }

    @Test
    void usageIsRecordedPerAccountInVmHoursAndStorageGbHours() throws Exception {
        String organization = organization();
        VdcInfo vdc = vdc(organization);
        VmInfo vm = hypervisor.createVm(vdc.id(), new VmSpec("metered", 1, 512, 7, null));
        Thread.sleep(50);
        TenantUsage running = usageOf(organization);
        assertThat(running.vms()).isEqualTo(1);
        assertThat(running.storageGb()).isEqualTo(7);
        assertThat(running.vmHours()).isPositive();
        assertThat(running.storageGbHours()).isCloseTo(7 * running.vmHours(), within(1e-9));

        hypervisor.deleteVm(vm.id());
        TenantUsage ended = usageOf(organization);
        Thread.sleep(50);
        assertThat(ended.vms()).isZero();
        assertThat(ended.storageGb()).isZero();
        assertThat(ended.vmHours()).as("a deleted VM's hours stop").isEqualTo(usageOf(organization).vmHours())
                .isGreaterThanOrEqualTo(running.vmHours());

        // A period of known length: two hours of a 10 GB VM, ended an hour ago.
        String billed = organization();
        Instant now = Instant.now();
        SimUsagePeriod past = new SimUsagePeriod(billed, UUID.randomUUID(), true, 10, now.minus(Duration.ofHours(3)));
        past.end(now.minus(Duration.ofHours(1)));
        periods.save(past);
        TenantUsage known = usageOf(billed);
        assertThat(known.vmHours()).isCloseTo(2.0, within(1e-6));
        assertThat(known.storageGbHours()).isCloseTo(20.0, within(1e-6));
        assertThat(known.vms()).isZero();
    }

    private TenantUsage usageOf(String organization) {
        return topology.usage().stream().filter(usage -> usage.organization().equals(organization)).findFirst().orElseThrow();
    }

    private Map<String, Integer> vlans() {
        return topology.zones().get(0).vlans().stream().collect(Collectors.toMap(ZoneInfo.AccountVlan::organization,
                ZoneInfo.AccountVlan::vlan));
    }

    private String hostOf(VmInfo vm) {
        UUID hostId = vms.findById(UUID.fromString(vm.id())).orElseThrow().hostId();
        return hosts.findById(hostId).map(SimHost::name).orElseThrow();
    }

    private static Set<Path> diskDirectories() throws Exception {
        if (!Files.exists(DISKS)) {
            return new HashSet<>();
        }
        try (var list = Files.list(DISKS)) {
            return list.collect(Collectors.toCollection(HashSet::new));
        }
    }

    private static VccProblemException assertProblem(ThrowingCallable call, ProblemType type) {
        VccProblemException problem = catchThrowableOfType(VccProblemException.class, call);
        assertThat(problem).as("expected a " + type + " problem").isNotNull();
        assertThat(problem.type()).as(problem.getMessage()).isEqualTo(type);
        return problem;
    }
}
