package io.vcc.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 14's "a kill of the server or either node mid-way resumes": the server and both nodes run as processes of
 * their own (each with its embedded PostgreSQL) and the test kills one with SIGKILL in the middle of a stretch deploy
 * of a powered-on VM, then starts it again on the same data, as an operator would after a crash. Each stretch
 * finishes: the VM runs once, at the target, with the MAC and IP it had, its source gone, and nothing half done (one
 * copy at the target, no second VM on the address anywhere). Kills during the removal of the source, after the
 * cut-over's point of no return, finish it too: nothing is undone then. A source node that stays down past the node
 * deadline during the copy fails the stretch instead, and once the node is back the VM runs at the source as before;
 * one down past the deadline while the source is removed ends it failed, the VM running at the target, the error naming
 * the source copy left to remove.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StretchKillE2ETest {

    private static final int MIB = 1024 * 1024;
    /** Enough for a copy of a few seconds, to kill the server in. */
    private static final int DISK_BYTES = 12 * MIB;
    /** For the tests that kill after the copy: a short one keeps them quick. */
    private static final int SMALL_DISK_BYTES = 2 * MIB;

    /** Kept when a test fails: the services' logs are there. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path home;

    private VccCluster cluster;
    private int serverPort;
    private String server;
    private ServiceProcess serverProcess;
    private final Node a = new Node("sk-a", "127.0.0.1:47893");
    private final Node b = new Node("sk-b", "127.0.0.1:47894");
    private Api admin;
    private String vdcA;
    private String vdcB;
    private int vmCount;
    private boolean deadlineToWaitOut;

    private final class Node {
        final String name;
        final String vtep;
        final int port = VccCluster.freePort();
        ServiceProcess process;

        Node(String name, String vtep) {
            this.name = name;
            this.vtep = vtep;
        }

        void start(String token) {
            // Node b's cloud takes a second per operation, so that a test finds the cut-over under way; node a's
            // deletes take 2.5 s, so that one finds the source being removed.
            process = cluster.vccNodeProcess(name, port, "http://127.0.0.1:" + port, server, token, "PUBLIC",
                    "--vcc.transfers.max-rate=3MB", "--vcc.transfers.retry-interval=300ms",
                    "--vcc.sim.operation-delay=" + (name.equals("sk-b") ? "1s" : "20ms"), "--vcc.sim.operation-delays.delete-vm=2500ms",
                    "--vcc.datapath.enabled=true", "--vcc.datapath.local-vtep=127.0.0.1:0", "--vcc.datapath.tunnel=127.0.0.1:0",
                    "--vcc.datapath.event-loops=1", "--vcc.sim.segments.vteps=" + vtep);
        }

        Path disk(String vmId) {
            return cluster.home(name, "vcc-node").resolve("disks").resolve(vmId).resolve("disk-0.img");
        }
    }

    @BeforeAll
    void startSystem() {
        cluster = new VccCluster(home);
        serverPort = VccCluster.freePort();
        server = "http://localhost:" + serverPort;
        startServer();
        admin = Api.basic(server, "admin", VccCluster.ADMIN_PASSWORD);
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> admin.get("/api/v1/nodes").status() == 200);
        // One after the other: three services and their databases starting at once time out on a busy machine.
        a.start(admin.post("/api/v1/node-registrations", "{\"note\":\"a\"}").text("token"));
        await().atMost(Duration.ofSeconds(180)).ignoreExceptions().untilAsserted(() ->
                assertThat(admin.get("/api/v1/nodes").json().findValuesAsString("status")).containsExactly("RUNNING"));
        b.start(admin.post("/api/v1/node-registrations", "{\"note\":\"b\"}").text("token"));
        awaitNodesRunning();
        String acme = admin.createTenantWithAdmin("acme");
        vdcA = admin.createVdc(acme, a.name, "acme-a", 100);
        vdcB = admin.createVdc(acme, b.name, "acme-b", 100);
        String cloudA = admin.get("/api/v1/vdcs/" + vdcA).text("cloudId");
        Api.Response network = admin.post("/api/v1/networks", "{\"tenantId\":\"" + acme + "\",\"name\":\"web\",\"vlanId\":10,"
                + "\"clouds\":[{\"cloudId\":\"" + cloudA + "\"}]}");
        assertThat(network.status()).as(network.toString()).isEqualTo(201);
        Api.Response backed = admin.send("PUT", "/api/v1/vdcs/" + vdcA + "/segment-networks/web", "{\"networkId\":\""
                + network.text("id") + "\",\"cidr\":\"192.168.10.0/24\",\"gateway\":\"192.168.10.1\",\"rules\":[]}", "application/json");
        assertThat(backed.status()).as(backed.toString()).isEqualTo(200);
    }

    private void startServer(String... more) {
        serverProcess = cluster.serverProcess(serverPort, Stream.concat(Stream.of(
                "--vcc.stretch.chunk-size=1MB",
                "--vcc.stretch.poll-interval=200ms",
                // A killed node restarts within this, even on a busy machine (the default is 2 min).
                "--vcc.stretch.cut-over-wait=5m",
                "--vcc.transfers.poll-interval=300ms",
                "--db-scheduler.polling-interval=200ms",
                "--db-scheduler.heartbeat-interval=1s",
                "--db-scheduler.missed-heartbeats-limit=4"), Stream.of(more)).toArray(String[]::new));
    }

    private void awaitNodesRunning() {
        await().atMost(Duration.ofSeconds(180)).ignoreExceptions().untilAsserted(() ->
                assertThat(admin.get("/api/v1/nodes").json().findValuesAsString("status")).containsOnly("RUNNING").hasSize(2));
    }

    @AfterAll
    void stopSystem() throws IOException {
        for (ServiceProcess process : new ServiceProcess[] {a.process, b.process, serverProcess}) {
            if (process != null) {
                process.close();
            }
        }
        // A service killed hard leaves its embedded PostgreSQL; the restarted one stopped it, but be sure.
        try (Stream<Path> files = Files.walk(home)) {
            files.filter(file -> file.getFileName().toString().equals("postmaster.pid")).forEach(pid -> {
                try {
                    ProcessHandle.of(Long.parseLong(Files.readAllLines(pid).get(0).strip())).ifPresent(ProcessHandle::destroy);
                } catch (IOException | RuntimeException e) {
                    // already gone
                }
            });
        }
    }

    @Test
    @Order(1)
    void theServerKilledDuringTheCopyResumesTheStretchAndFinishesIt() {
        assertFinishesAfter(StretchKillE2ETest::copyUnderWay, sourceVmId -> {
            serverProcess.kill();
            startServer();
        });
    }

    @Test
    @Order(2)
    void theServerKilledDuringTheCutOverFinishesIt() {
        assertFinishesAfter(SMALL_DISK_BYTES, op -> "cut-over".equals(op.path("currentStep").asString(null)), sourceVmId -> {
            serverProcess.kill();
            startServer();
        });
    }

    @Test
    @Order(3)
    void theTargetNodeKilledDuringTheCutOverIsWaitedForAndTheCutOverFinishes() {
        assertFinishesAfter(SMALL_DISK_BYTES, op -> "cut-over".equals(op.path("currentStep").asString(null)), sourceVmId -> {
            b.process.kill();
            b.start(null);
        });
    }

    @Test
    @Order(4)
    void theTargetNodeKilledDuringTheImportResumesTheStretch() {
        assertFinishesAfter(op -> "deploy".equals(op.path("currentStep").asString(null)), sourceVmId -> {
            b.process.kill();
            b.start(null);
        });
    }

    @Test
    @Order(5)
    void theServerKilledWhileTheSourceIsRemovedFinishesTheRemoval() {
        assertFinishesAfter(SMALL_DISK_BYTES, op -> "remove-source".equals(op.path("currentStep").asString(null)), sourceVmId -> {
            // Well inside node a's delete (2.5 s), which began right after the step did.
            sleep(Duration.ofSeconds(1));
            serverProcess.kill();
            // The node finishes the removal with the server gone: run again, the step finds the VM already removed.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(a.disk(sourceVmId).getParent()).as("removed by the node while the server was down").doesNotExist());
            startServer();
        });
    }

    @Test
    @Order(6)
    void theSourceNodeKilledWhileItRemovesTheSourceIsWaitedForAndTheRemovalFinishes() {
        JsonNode done = assertFinishesAfter(SMALL_DISK_BYTES, op -> "remove-source".equals(op.path("currentStep").asString(null)), sourceVmId -> {
            a.process.kill();
            assertThat(a.disk(sourceVmId).getParent()).as("killed before the removal was done").exists();
            a.start(null);
        });
        assertThat(step(done, "remove-source").path("attempts").asInt()).as("the step found the source node gone: %s", done)
                .isPositive();
    }

    @Test
    @Order(7)
    void theSourceNodeDownPastTheDeadlineDuringTheCopyFailsTheStretchAndTheVmRunsAtTheSourceAsBefore() {
        withANodeDeadlineToWaitOut();
        JsonNode vm = poweredOnVm(DISK_BYTES);
        String vmId = vm.path("id").asString();
        String mac = vm.path("nics").get(0).path("mac").asString();
        String ip = vm.path("nics").get(0).path("ip").asString();
        String operation = stretchUntil(vmId, StretchKillE2ETest::copyUnderWay);

        a.process.kill();
        // The copy makes no progress for the deadline and fails; the undo of what the source node did waits for it
        // (for as long again: the undo's own deadline).
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() ->
                assertThat(admin.get("/api/v1/operations/" + operation).json().path("steps").findValuesAsString("state"))
                        .containsAnyOf("COMPENSATING", "COMPENSATED"));
        a.start(null);
        JsonNode done = awaitEnd(operation);
        awaitNodesRunning();

        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("FAILED");
        assertThat(done.path("steps").findValuesAsString("state")).as("everything done was undone: %s", done)
                .contains("COMPENSATED").doesNotContain("UNDO_FAILED", "COMPENSATING", "RUNNING");
        JsonNode source = admin.get("/api/v1/vdcs/" + vdcA + "/vms/" + vmId).json();
        assertThat(source.path("state").asString()).as("the VM runs at the source: %s", source).isEqualTo("POWERED_ON");
        assertThat(source.path("nics").get(0).path("mac").asString()).isEqualTo(mac);
        assertThat(source.path("nics").get(0).path("ip").asString()).isEqualTo(ip);
        assertThat(a.disk(vmId)).as("the source's disk").hasSize(DISK_BYTES);
        for (JsonNode held : admin.get("/api/v1/vdcs/" + vdcB + "/vms").json()) {
            assertThat(held.path("name").asString()).as("no copy left at the target").isNotEqualTo(vm.path("name").asString());
            assertThat(held.path("nics").findValuesAsString("mac")).doesNotContain(mac);
        }
    }

    @Test
    @Order(8)
    void theSourceNodeDownPastTheDeadlineWhileTheSourceIsRemovedEndsFailedSayingTheVmRunsAtTheTargetAndWhatIsLeft() {
        withANodeDeadlineToWaitOut();
        JsonNode vm = poweredOnVm(SMALL_DISK_BYTES);
        String vmId = vm.path("id").asString();
        String mac = vm.path("nics").get(0).path("mac").asString();
        String operation = stretchUntil(vmId, op -> "remove-source".equals(op.path("currentStep").asString(null)));

        a.process.kill();
        JsonNode done = awaitEnd(operation);
        // Past the point of no return: nothing is undone, and the operation says where the VM runs and what is left.
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("FAILED");
        assertThat(done.path("outputs").path("runningAt").asString()).isEqualTo("target");
        assertThat(done.path("error").asString()).contains("The VM runs at the target", vmId);
        assertThat(done.path("steps").findValuesAsString("state")).doesNotContain("COMPENSATING", "COMPENSATED", "UNDO_FAILED");
        JsonNode moved = admin.get("/api/v1/vdcs/" + vdcB + "/vms/" + done.path("outputs").path("targetVmId").asString()).json();
        assertThat(moved.path("state").asString()).isEqualTo("POWERED_ON");
        assertThat(moved.path("nics").get(0).path("mac").asString()).isEqualTo(mac);

        // The node back: the copy the error names is there, powered off, and the operator removes it.
        a.start(null);
        awaitNodesRunning();
        JsonNode left = admin.get("/api/v1/vdcs/" + vdcA + "/vms/" + vmId).json();
        assertThat(left.path("state").asString()).as("the source copy left: %s", left).isEqualTo("POWERED_OFF");
        assertThat(admin.delete("/api/v1/vdcs/" + vdcA + "/vms/" + vmId).status()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(a.disk(vmId).getParent()).doesNotExist());
    }

    /** A node deadline a test can wait out (40 s); the tests before keep the default, as a node restarts slowly on a busy machine. */
    private void withANodeDeadlineToWaitOut() {
        if (!deadlineToWaitOut) {
            serverProcess.close();
            startServer("--vcc.stretch.node-deadline=40s");
            awaitNodesRunning();
            deadlineToWaitOut = true;
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode step(JsonNode operation, String name) {
        for (JsonNode step : operation.path("steps")) {
            if (step.path("name").asString().equals(name)) {
                return step;
            }
        }
        throw new AssertionError("No step " + name + " in " + operation);
    }

    /** Starts the stretch of {@code vmId} from cloud a to cloud b; answers the operation's id once it is where {@code at} says. */
    private String stretchUntil(String vmId, Predicate<JsonNode> at) {
        Api.Response accepted = admin.post("/api/v1/stretch-deploys", "{\"sourceVdcId\":\"" + vdcA + "\",\"vmId\":\"" + vmId
                + "\",\"targetVdcId\":\"" + vdcB + "\"}");
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        String operation = accepted.text("id");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> at.test(admin.get("/api/v1/operations/" + operation).json()));
        return operation;
    }

    private static boolean copyUnderWay(JsonNode operation) {
        return "transfer".equals(operation.path("currentStep").asString(null)) && operation.path("bytesDone").asLong() >= 3L * MIB;
    }

    private JsonNode awaitEnd(String operation) {
        return await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> admin.get("/api/v1/operations/" + operation).json(),
                        op -> op.path("state").asString().matches("SUCCEEDED|FAILED|CANCELLED"));
    }

    /**
     * Stretches a new powered-on VM, runs {@code kill} (given the source VM's id) once the operation is where
     * {@code at} says, checks the end and answers the operation as it ended.
     */
    private JsonNode assertFinishesAfter(Predicate<JsonNode> at, Consumer<String> kill) {
        return assertFinishesAfter(DISK_BYTES, at, kill);
    }

    private JsonNode assertFinishesAfter(int diskBytes, Predicate<JsonNode> at, Consumer<String> kill) {
        JsonNode vm = poweredOnVm(diskBytes);
        String vmId = vm.path("id").asString();
        String mac = vm.path("nics").get(0).path("mac").asString();
        String ip = vm.path("nics").get(0).path("ip").asString();
        String operation = stretchUntil(vmId, at);

        kill.accept(vmId);

        JsonNode done = awaitEnd(operation);
        awaitNodesRunning();
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("outputs").path("runningAt").asString()).isEqualTo("target");
        assertThat(done.path("steps").findValuesAsString("state")).as("nothing undone: %s", done)
                .doesNotContain("COMPENSATING", "COMPENSATED", "UNDO_FAILED", "FAILED");
        JsonNode moved = admin.get("/api/v1/vdcs/" + vdcB + "/vms/" + done.path("outputs").path("targetVmId").asString()).json();
        assertThat(moved.path("state").asString()).isEqualTo("POWERED_ON");
        assertThat(moved.path("nics").get(0).path("mac").asString()).isEqualTo(mac);
        assertThat(moved.path("nics").get(0).path("ip").asString()).isEqualTo(ip);
        assertThat(admin.get("/api/v1/vdcs/" + vdcA + "/vms/" + vmId).status()).as("the source is gone").isEqualTo(404);
        // Its disk too: nothing of it is left half removed at the source.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(a.disk(vmId).getParent()).as("the source's disks").doesNotExist());
        // Nothing half done: one VM with that name, MAC and IP in either cloud, and it is the one running at the target.
        List<String> holders = new ArrayList<>();
        for (String vdc : List.of(vdcA, vdcB)) {
            for (JsonNode held : admin.get("/api/v1/vdcs/" + vdc + "/vms").json()) {
                if (held.path("name").asString().equals(vm.path("name").asString()) || held.path("nics").findValuesAsString("ip").contains(ip)
                        || held.path("nics").findValuesAsString("mac").contains(mac)) {
                    holders.add(vdc + "/" + held.path("id").asString());
                }
            }
        }
        assertThat(holders).containsExactly(vdcB + "/" + moved.path("id").asString());
        return done;
    }

    /** A powered-on VM on the stretched network in cloud a, its disk filled with {@code diskBytes}. */
    private JsonNode poweredOnVm(int diskBytes) {
        String name = "web-" + (++vmCount);
        Api.Response created = admin.post("/api/v1/vdcs/" + vdcA + "/vms", "{\"name\":\"" + name
                + "\",\"cpus\":1,\"memoryMb\":512,\"diskGb\":1,\"network\":\"web\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode vm = created.json();
        byte[] content = new byte[diskBytes];
        new Random(vmCount).nextBytes(content);
        try (RandomAccessFile file = new RandomAccessFile(a.disk(vm.path("id").asString()).toFile(), "rw")) {
            file.setLength(diskBytes);
            file.write(content);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Api.Response on = admin.post("/api/v1/vdcs/" + vdcA + "/vms/" + vm.path("id").asString() + "/power", "{\"state\":\"POWERED_ON\"}");
        assertThat(on.status()).as(on.toString()).isEqualTo(200);
        return vm;
    }
}
