package io.vcc.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vcc.api.ha.HaInventory;
import io.vcc.api.ha.HaNic;
import io.vcc.api.ha.HaVmInfo;
import io.vcc.api.ha.HypervisorInfo;
import io.vcc.api.ha.HypervisorState;
import io.vcc.api.ha.SystemRole;
import io.vcc.api.node.PowerState;
import io.vcc.node.adapter.HaAdapter;
import io.vcc.node.adapter.sim.SimFaults;
import io.vcc.node.adapter.sim.ha.SimHaSetup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * HA on nested virtual hypervisors, server and node over real HTTP (seed 001, claims 1 and 8): a protected
 * customer system with VMs of two tenants on overlapping IPs is killed by fault injection; the server detects it,
 * fences it, activates the mirror VH, restores the VMs onto it with their MAC, IP and tag, evacuates the other VHs;
 * failback (also one that fails halfway) returns them. No free VH, two failures at once, tenants' views.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HaE2ETest {

    @TempDir
    static Path home;

    private VccCluster cluster;
    private int serverPort;
    private ServiceProcess serverProcess;
    private ConfigurableApplicationContext node;
    private Api admin;
    private Api acme;
    private Api globex;
    private SimHaSetup sim;
    private HaAdapter ha;

    private HypervisorInfo c1;
    private HypervisorInfo c2;
    private HypervisorInfo c3;
    private HypervisorInfo c4;
    private HypervisorInfo c5;
    private List<HaVmInfo> onC5;
    private HypervisorInfo p1;
    private HypervisorInfo mirror;
    private List<HypervisorInfo> othersOnP1;
    private HaVmInfo acmeOnC1;
    private HaVmInfo globexOnC1;
    private HaVmInfo acmeOnC2;
    private String pool;
    private String acmeProtection;
    private String c1Failover;

    @BeforeAll
    void start() {
        cluster = new VccCluster(home);
        serverPort = VccCluster.freePort();
        String server = "http://localhost:" + serverPort;
        startServer();
        admin = Api.basic(server, "admin", VccCluster.ADMIN_PASSWORD);
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> admin.get("/api/v1/nodes").status() == 200);
        int nodePort = VccCluster.freePort();
        node = cluster.vccNode("cloud-ha", nodePort, "http://localhost:" + nodePort, server,
                admin.post("/api/v1/node-registrations", "{\"note\":\"ha\"}").text("token"), "PUBLIC",
                // Slow enough that the server can be killed while a failover runs.
                "--vcc.sim.ha.operation-delay=700ms", "--vcc.sim.ha.replica-chunk-size=4096");
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(admin.get("/api/v1/nodes").json().findValuesAsString("status")).containsExactly("RUNNING"));
        String nodeId = admin.get("/api/v1/nodes").json().get(0).path("id").asString();
        acme = tenant(server, "acme");
        globex = tenant(server, "globex");

        sim = node.getBean(SimHaSetup.class);
        ha = node.getBean(HaAdapter.class);
        c1 = sim.addSystem("c1", SystemRole.CUSTOMER, null, 3, 16, 65536);
        c2 = sim.addSystem("c2", SystemRole.CUSTOMER, null, 3, 16, 65536);
        c3 = sim.addSystem("c3", SystemRole.CUSTOMER, null, 9, 128, 1048576);
        c4 = sim.addSystem("c4", SystemRole.CUSTOMER, null, 3, 16, 65536);
        c5 = sim.addSystem("c5", SystemRole.CUSTOMER, null, 3, 16, 65536);
        p1 = sim.addSystem("p1", SystemRole.POOL, "pool-1", 4, 64, 262144);
        HypervisorInfo p2 = sim.addSystem("p2", SystemRole.POOL, "pool-1", 4, 64, 262144);
        sim.addSystem("p3", SystemRole.POOL, "pool-1", 2, 64, 262144);
        mirror = sim.addVirtualHypervisor("vh-c1", p1.physicalSystemId(), c1.id(), 3, 16, 65536);
        othersOnP1 = List.of(
                sim.addVirtualHypervisor("vh-generic-1", p1.physicalSystemId(), null, 4, 32, 131072),
                sim.addVirtualHypervisor("vh-small", p1.physicalSystemId(), null, 2, 4, 8192));
        sim.addVirtualHypervisor("vh-generic-2", p2.physicalSystemId(), null, 4, 16, 65536);

        acmeOnC1 = sim.addVm("acme", "web", c1.id(), 2, 2048, new HaNic("52:54:00:00:01:01", "10.0.0.5", "acme-net", 101), 64 * 1024);
        globexOnC1 = sim.addVm("globex", "web", c1.id(), 2, 2048, new HaNic("52:54:00:00:02:01", "10.0.0.5", "globex-net", 202), 64 * 1024);
        acmeOnC2 = sim.addVm("acme", "db", c2.id(), 2, 2048, new HaNic("52:54:00:00:01:02", "10.0.0.6", "acme-net", 101), 64 * 1024);
        sim.addVm("globex", "db", c4.id(), 2, 2048, new HaNic("52:54:00:00:02:02", "10.0.0.6", "globex-net", 202), 64 * 1024);
        onC5 = List.of(
                sim.addVm("acme", "app-1", c5.id(), 1, 1024, new HaNic("52:54:00:00:01:05", "10.0.0.7", "acme-net", 101), 64 * 1024),
                sim.addVm("acme", "app-2", c5.id(), 1, 1024, new HaNic("52:54:00:00:01:06", "10.0.0.8", "acme-net", 101), 64 * 1024),
                sim.addVm("globex", "app-1", c5.id(), 1, 1024, new HaNic("52:54:00:00:02:05", "10.0.0.7", "globex-net", 202), 64 * 1024));

        pool = admin.post("/api/v1/ha/pools", "{\"nodeId\":\"" + nodeId + "\",\"name\":\"pool-1\"}").text("id");
        assertThat(admin.post("/api/v1/ha/protections", protection(c1.id(), null, 10)).status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/ha/protections", protection(c3.id(), null, 10)).status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/ha/protections", protection(c4.id(), null, 10)).status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/ha/protections", protection(c5.id(), null, 10)).status()).isEqualTo(201);
        Api.Response mine = acme.post("/api/v1/ha/protections", protection(c2.id(), acmeOnC2.id(), 10));
        assertThat(mine.status()).as(mine.toString()).isEqualTo(201);
        acmeProtection = mine.text("id");
    }

    /** The server in a process of its own, which the last test kills mid-failover. */
    private void startServer() {
        serverProcess = cluster.serverProcess(serverPort, "--vcc.ha.detection-interval=500ms", "--vcc.ha.confirm-after=300ms",
                "--vcc.ha.replication-interval=500ms", "--vcc.ha.stall-deadline=30s",
                "--db-scheduler.polling-interval=200ms", "--db-scheduler.heartbeat-interval=1s",
                "--db-scheduler.missed-heartbeats-limit=4");
    }

    private Api tenant(String server, String name) {
        String id = admin.post("/api/v1/tenants", "{\"name\":\"" + name + "\"}").json().path("id").asString();
        assertThat(admin.post("/api/v1/tenants/" + id + "/users", "{\"username\":\"" + name + "-admin\",\"password\":\"" + name
                + "-password-1\",\"role\":\"TENANT_ADMIN\"}").status()).isEqualTo(201);
        return Api.basic(server, name + "-admin", name + "-password-1");
    }

    /** The protection's next complete pass after {@code previous} (a missing node: the first pass). */
    private JsonNode awaitNextPass(String protectionId, JsonNode previous) {
        String previousAt = previous.path("at").asString("");
        return await().atMost(Duration.ofSeconds(30)).until(() -> admin.get("/api/v1/ha/protections/" + protectionId)
                .json().path("lastReplication"), point -> point.has("at") && !point.path("at").asString().equals(previousAt));
    }

    private String protection(String hypervisorId, String vmId, int rpo) {
        return "{\"poolId\":\"" + pool + "\",\"hypervisorId\":\"" + hypervisorId + "\","
                + (vmId == null ? "" : "\"vmId\":\"" + vmId + "\",") + "\"rpoSeconds\":" + rpo + "}";
    }

    @AfterAll
    void stop() throws java.io.IOException {
        if (serverProcess != null) {
            serverProcess.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        // A server killed hard leaves its embedded PostgreSQL; the restarted one stopped it, but be sure.
        try (var files = java.nio.file.Files.walk(home)) {
            files.filter(file -> file.getFileName().toString().equals("postmaster.pid")).forEach(pid -> {
                try {
                    ProcessHandle.of(Long.parseLong(java.nio.file.Files.readAllLines(pid).get(0).strip())).ifPresent(ProcessHandle::destroy);
                } catch (java.io.IOException | RuntimeException e) {
                    // already gone
                }
            });
        }
    }

    private JsonNode failoverOf(String hypervisorId) {
        for (JsonNode f : admin.get("/api/v1/ha/failovers").json()) {
            if (f.path("hypervisorId").asString().equals(hypervisorId) && !f.path("state").asString().equals("FAILED_BACK")) {
                return f;
            }
        }
        return null;
    }

    private String protectionOf(String hypervisorId) {
        for (JsonNode p : admin.get("/api/v1/ha/protections").json()) {
            if (p.path("hypervisorId").asString().equals(hypervisorId)) {
                return p.path("id").asString();
            }
        }
        throw new AssertionError("no protection of " + hypervisorId);
    }

    private String stateOf(String failoverId) {
        return admin.get("/api/v1/ha/failovers/" + failoverId).text("state");
    }

    private Map<String, HaVmInfo> vms() {
        return ha.inventory().vms().stream().collect(Collectors.toMap(HaVmInfo::id, Function.identity()));
    }

    private HypervisorInfo hypervisor(String id) {
        return ha.inventory().hypervisors().stream().filter(h -> h.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    @Order(1)
    void tenantsSeeOnlyTheirOwnProtectionsAndOthersVmsAreNotFound() {
        assertThat(acme.get("/api/v1/ha/protections").json().findValuesAsString("id")).containsExactly(acmeProtection);
        assertThat(globex.get("/api/v1/ha/protections").json().size()).isZero();
        assertThat(globex.get("/api/v1/ha/protections/" + acmeProtection).status()).isEqualTo(404);
        assertThat(globex.post("/api/v1/ha/protections", protection(c2.id(), acmeOnC2.id(), 10)).problemType())
                .isEqualTo("urn:vcc:problem:not-found");
        assertThat(acme.post("/api/v1/ha/protections", protection(c1.id(), null, 10)).status()).as("whole hypervisors are an admin's").isEqualTo(403);
        assertThat(admin.get("/api/v1/ha/protections").json().size()).isEqualTo(5);

        JsonNode acmeChoices = acme.get("/api/v1/ha/pools/" + pool + "/protectable").json();
        assertThat(acmeChoices.findValuesAsString("tenant")).as("acme is offered its own VMs only").containsOnly("acme").hasSize(4);
        assertThat(acmeChoices.findValuesAsString("vmId")).contains(acmeOnC1.id(), acmeOnC2.id()).doesNotContain(globexOnC1.id());
        JsonNode adminChoices = admin.get("/api/v1/ha/pools/" + pool + "/protectable").json();
        assertThat(adminChoices.findValuesAsString("vmId")).contains(acmeOnC1.id(), globexOnC1.id());
        assertThat(adminChoices.valueStream().filter(choice -> !choice.hasNonNull("vmId")).map(choice -> choice.path("hypervisorId").asString()))
                .as("and, to an admin, the customer hypervisors whole").contains(c1.id(), c2.id());
        assertThat(acme.get("/api/v1/ha/pools/" + java.util.UUID.randomUUID() + "/protectable").status()).isEqualTo(404);
    }

    @Test
    @Order(2)
    void aKilledProtectedSystemIsFencedAndItsTenantsVmsRunOnTheMirrorVhWithTheirMacIpAndTagTheOtherVhsEvacuated() {
        String c1Protection = protectionOf(c1.id());
        // Right after a pass ends, the next is half the RPO (5 s) away: a write now falls between two passes,
        // not into one that has already read that chunk.
        JsonNode settled = awaitNextPass(c1Protection, admin.get("/api/v1/ha/protections/" + c1Protection).json().path("lastReplication"));
        byte[] data = new byte[4096];
        Arrays.fill(data, (byte) 7);
        sim.writeDisk(acmeOnC1.id(), 8192, data);
        java.time.Instant written = java.time.Instant.now();
        JsonNode first = awaitNextPass(c1Protection, settled);
        assertThat(java.time.Instant.parse(first.path("at").asString())).as("the pass read the disk after the write").isAfter(written);
        assertThat(first.path("vms").asInt()).isEqualTo(2);
        assertThat(first.path("chunks").asInt()).as("two disks of 16 chunks, compared by digest").isEqualTo(32);
        assertThat(first.path("chunksSent").asInt()).as("only the chunk written, against the replica").isEqualTo(1);
        JsonNode second = awaitNextPass(c1Protection, first);
        assertThat(second.path("chunksSent").asInt()).as("an unchanged disk sends nothing").isZero();
        assertThat(second.path("bytesSent").asLong()).isZero();

        byte[] later = new byte[4096];
        Arrays.fill(later, (byte) 9);
        sim.writeDisk(acmeOnC1.id(), 16384, later);
        java.time.Instant writtenLater = java.time.Instant.now();
        sim.kill(c1.physicalSystemId());
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode f = failoverOf(c1.id());
            return f != null && f.path("state").asString().equals("HOLDING");
        });
        JsonNode failover = failoverOf(c1.id());
        c1Failover = failover.path("id").asString();
        assertThat(failover.path("trigger").asString()).isEqualTo("FAILURE");
        assertThat(failover.path("virtualHypervisorId").asString()).as("the mirror is chosen first").isEqualTo(mirror.id());

        HaInventory inventory = ha.inventory();
        Map<String, HaVmInfo> vms = vms();
        for (HaVmInfo before : List.of(acmeOnC1, globexOnC1)) {
            HaVmInfo after = vms.get(before.id());
            assertThat(after.hypervisorId()).isEqualTo(mirror.id());
            assertThat(after.nic()).as("same MAC, IP, segment and tag").isEqualTo(before.nic());
            assertThat(after.power()).isEqualTo(PowerState.POWERED_ON);
        }
        assertThat(vms.get(acmeOnC1.id()).nic().ip()).isEqualTo(vms.get(globexOnC1.id()).nic().ip());
        assertThat(hypervisor(mirror.id()).state()).isEqualTo(HypervisorState.ACTIVE);
        assertThat(inventory.systems()).filteredOn(s -> s.id().equals(c1.physicalSystemId()))
                .singleElement().satisfies(s -> assertThat(s.powered()).as("fenced").isFalse());
        assertThat(inventory.hypervisors()).filteredOn(h -> h.physicalSystemId().equals(p1.physicalSystemId()))
                .extracting(HypervisorInfo::id).as("the others evacuated").containsExactlyInAnyOrder(p1.id(), mirror.id());
        for (HypervisorInfo other : othersOnP1) {
            assertThat(hypervisor(other.id()).state()).isEqualTo(HypervisorState.INACTIVE);
        }
        assertThat(sim.readDisk(acmeOnC1.id(), 8192, 4096)).as("restored from a replica within the RPO").containsOnly((byte) 7);
        java.time.Instant point = java.time.Instant.parse(admin.get("/api/v1/ha/protections/" + c1Protection)
                .json().path("lastReplication").path("at").asString());
        if (point.isBefore(writtenLater)) {
            assertThat(sim.readDisk(acmeOnC1.id(), 16384, 4096)).as("written after the last point: lost with the host").containsOnly((byte) 0);
        }

        String operation = failover.path("operationId").asString();
        JsonNode run = admin.get("/api/v1/operations/" + operation).json();
        assertThat(run.path("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(run.findValuesAsString("name")).containsSubsequence("fence", "activate", "migrate", "evacuate", "hold");
        assertThat(acme.get("/api/v1/ha/failovers/" + c1Failover).status()).as("not acme's protection").isEqualTo(404);
    }

    @Test
    @Order(3)
    void noFreeVirtualHypervisorIsRefusedWith409AndChangesNothing() {
        String before = admin.get("/api/v1/ha/failovers").body();
        HaInventory inventory = ha.inventory();
        String c3Protection = null;
        for (JsonNode p : admin.get("/api/v1/ha/protections").json()) {
            if (p.path("hypervisorId").asString().equals(c3.id())) {
                c3Protection = p.path("id").asString();
            }
        }

        Api.Response refused = admin.post("/api/v1/ha/failovers",
                "{\"protectionId\":\"" + c3Protection + "\",\"trigger\":\"MANUAL\",\"reason\":\"drill\"}");

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.problemType()).isEqualTo("urn:vcc:problem:no-free-virtual-hypervisor");
        assertThat(admin.get("/api/v1/ha/failovers").body()).isEqualTo(before);
        assertThat(ha.inventory().hypervisors()).as("no VH activated or moved").isEqualTo(inventory.hypervisors());
        assertThat(ha.inventory().systems()).isEqualTo(inventory.systems());
        assertThat(ha.inventory().vms()).extracting(HaVmInfo::hypervisorId)
                .isEqualTo(inventory.vms().stream().map(HaVmInfo::hypervisorId).toList());
    }

    @Test
    @Order(4)
    void twoFailuresAtOnceTakeTwoDifferentVhs() {
        sim.kill(c2.id());
        sim.kill(c4.physicalSystemId());
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode f2 = failoverOf(c2.id());
            JsonNode f4 = failoverOf(c4.id());
            return f2 != null && f4 != null && f2.path("state").asString().equals("HOLDING") && f4.path("state").asString().equals("HOLDING");
        });
        String vh2 = failoverOf(c2.id()).path("virtualHypervisorId").asString();
        String vh4 = failoverOf(c4.id()).path("virtualHypervisorId").asString();
        assertThat(vh2).isNotEqualTo(vh4).isNotEqualTo(mirror.id());
        assertThat(vms().get(acmeOnC2.id()).hypervisorId()).isEqualTo(vh2);
        assertThat(hypervisor(vh2).hardwareGeneration()).as("equal or better hardware").isGreaterThanOrEqualTo(3);
        assertThat(hypervisor(vh4).hardwareGeneration()).isGreaterThanOrEqualTo(3);

        String c2Failover = failoverOf(c2.id()).path("id").asString();
        assertThat(acme.get("/api/v1/ha/failovers").json().findValuesAsString("id")).containsExactly(c2Failover);
        assertThat(globex.get("/api/v1/ha/failovers/" + c2Failover).status()).isEqualTo(404);
        assertThat(admin.post("/api/v1/ha/failovers/" + c2Failover + "/failback", "").problemType())
                .as("its hypervisor is still down").isEqualTo("urn:vcc:problem:invalid-state");
    }

    @Test
    @Order(5)
    void aFailbackThatFailsHalfwayIsUndoneAndASecondOneRestoresThePlacement() {
        sim.repair(c1.physicalSystemId());
        node.getBean(SimFaults.class).failNext("ha.place", 1);
        Api.Response failing = admin.post("/api/v1/ha/failovers/" + c1Failover + "/failback", "");
        assertThat(failing.status()).as(failing.toString()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> stateOf(c1Failover).equals("HOLDING"));
        JsonNode failed = admin.get("/api/v1/operations/" + failing.text("failbackOperationId")).json();
        assertThat(failed.path("state").asString()).isEqualTo("FAILED");
        assertThat(vms().get(acmeOnC1.id()).hypervisorId()).as("c1 %s, operation %s", c1.id(), failed).isEqualTo(mirror.id());
        assertThat(vms().get(globexOnC1.id()).hypervisorId()).as("c1 %s, operation %s", c1.id(), failed).isEqualTo(mirror.id());
        assertThat(hypervisor(mirror.id()).state()).isEqualTo(HypervisorState.ACTIVE);

        byte[] onTheVh = new byte[4096];
        Arrays.fill(onTheVh, (byte) 3);
        sim.writeDisk(acmeOnC1.id(), 24576, onTheVh);
        assertThat(admin.post("/api/v1/ha/failovers/" + c1Failover + "/failback", "").status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> stateOf(c1Failover).equals("FAILED_BACK"));
        assertThat(sim.readDisk(acmeOnC1.id(), 24576, 4096)).as("written while it ran on the VH: back home with it").containsOnly((byte) 3);
        assertThat(sim.readDisk(acmeOnC1.id(), 8192, 4096)).as("what the failover restored").containsOnly((byte) 7);
        for (HaVmInfo before : List.of(acmeOnC1, globexOnC1)) {
            HaVmInfo after = vms().get(before.id());
            assertThat(after.hypervisorId()).isEqualTo(c1.id());
            assertThat(after.nic()).isEqualTo(before.nic());
            assertThat(after.power()).isEqualTo(PowerState.POWERED_ON);
        }
        assertThat(hypervisor(mirror.id()).state()).as("back to readiness").isEqualTo(HypervisorState.INACTIVE);
    }

    @Test
    @Order(6)
    void aServerKilledMidFailoverFinishesItWhenItComesBack() {
        sim.kill(c5.physicalSystemId());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonNode f = failoverOf(c5.id());
            if (f == null || f.path("operationId").isMissingNode()) {
                return false;
            }
            JsonNode run = admin.get("/api/v1/operations/" + f.path("operationId").asString()).json();
            return List.of("activate", "migrate").contains(run.path("currentStep").asString());
        });
        serverProcess.kill();
        startServer();

        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> failoverOf(c5.id()).path("state").asString().equals("HOLDING"));
        JsonNode failover = failoverOf(c5.id());
        String vh = failover.path("virtualHypervisorId").asString();
        for (HaVmInfo before : onC5) {
            HaVmInfo after = vms().get(before.id());
            assertThat(after.hypervisorId()).isEqualTo(vh);
            assertThat(after.nic()).isEqualTo(before.nic());
            assertThat(after.power()).isEqualTo(PowerState.POWERED_ON);
        }
        assertThat(hypervisor(vh).state()).isEqualTo(HypervisorState.ACTIVE);
        assertThat(admin.get("/api/v1/operations/" + failover.path("operationId").asString()).text("state")).isEqualTo("SUCCEEDED");
    }

    @Test
    @Order(7)
    void aCapacityBurstMovesTheChosenVmsLiveToAVhWhileTheOverloadedHypervisorRuns() {
        HypervisorInfo c6 = sim.addSystem("c6", SystemRole.CUSTOMER, null, 3, 16, 65536);
        HypervisorInfo p4 = sim.addSystem("p4", SystemRole.POOL, "pool-1", 4, 64, 262144);
        HypervisorInfo vh6 = sim.addVirtualHypervisor("vh-c6", p4.physicalSystemId(), c6.id(), 3, 16, 65536);
        HaVmInfo big = sim.addVm("acme", "batch", c6.id(), 4, 4096, new HaNic("52:54:00:00:01:09", "10.0.0.9", "acme-net", 101), 64 * 1024);
        HaVmInfo small = sim.addVm("globex", "batch", c6.id(), 1, 1024, new HaNic("52:54:00:00:02:09", "10.0.0.9", "globex-net", 202), 64 * 1024);
        assertThat(admin.post("/api/v1/ha/protections", protection(c6.id(), null, 10)).status()).isEqualTo(201);
        Api.Response refused = admin.send("PUT", "/api/v1/ha/pools/" + pool + "/burst-policy", "{\"thresholdPercent\":0}", "application/json");
        assertThat(refused.status()).isEqualTo(400);
        Api.Response policy = admin.send("PUT", "/api/v1/ha/pools/" + pool + "/burst-policy", "{\"thresholdPercent\":80}", "application/json");
        assertThat(policy.status()).as(policy.toString()).isEqualTo(200);
        assertThat(policy.json().path("burstThresholdPercent").asInt()).isEqualTo(80);

        sim.load(c6.id(), 95);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode f = failoverOf(c6.id());
            return f != null && f.path("state").asString().equals("HOLDING");
        });

        JsonNode failover = failoverOf(c6.id());
        assertThat(failover.path("trigger").asString()).isEqualTo("CAPACITY_BURST");
        assertThat(failover.path("virtualHypervisorId").asString()).isEqualTo(vh6.id());
        assertThat(failover.path("vms").findValuesAsString("vmId")).as("the largest VM covers the load above 80 %%").containsExactly(big.id());
        HaVmInfo moved = vms().get(big.id());
        assertThat(moved.hypervisorId()).isEqualTo(vh6.id());
        assertThat(moved.nic()).isEqualTo(big.nic());
        assertThat(moved.power()).isEqualTo(PowerState.POWERED_ON);
        assertThat(vms().get(small.id()).hypervisorId()).as("the rest stays").isEqualTo(c6.id());
        assertThat(hypervisor(c6.id()).heartbeat()).as("a burst fences nothing").isTrue();
        JsonNode run = admin.get("/api/v1/operations/" + failover.path("operationId").asString()).json();
        assertThat(run.path("state").asString()).isEqualTo("SUCCEEDED");
        for (JsonNode step : run.path("steps")) {
            if (step.path("name").asString().equals("fence")) {
                assertThat(step.path("state").asString()).isEqualTo("SKIPPED");
            }
        }
    }
}
