package io.vcc.e2e;

import static io.vcc.e2e.Digests.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vcc.node.transfer.TransferFaults;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
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
 * Checkpoint-restart transfers across real processes' worth of services: a server, two public nodes
 * (a, b) and a private one (c), each node behind a TCP proxy the test can cut. Disks hold real random
 * content; chunks are 1 MiB and every node is capped at 3 MB/s so a transfer is still running when the
 * test breaks something. Each time the transfer must complete with the imported disk's SHA-256 equal to
 * the source's, having sent at most one chunk more per failure than the package holds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TransferE2ETest {

    private static final int MIB = 1024 * 1024;
    private static final int DISK_BYTES = 24 * MIB;
    private static final int CHUNK = MIB;
    /** Descriptor and manifest travel with the disk; a few KiB. */
    private static final int SMALL_FILES_ALLOWANCE = 64 * 1024;

    @TempDir
    static Path home;

    private VccCluster cluster;
    private ConfigurableApplicationContext serverContext;
    private int serverPort;
    private String server;
    private Api admin;
    private Api acme;
    private final Node a = new Node("node-a", "PUBLIC");
    private final Node b = new Node("node-b", "PUBLIC");
    private final Node c = new Node("node-c", "PRIVATE");
    private String vdcA;
    private String vdcB;
    private String vdcC;
    private String vdcC2;
    private int vmCount;

    private final class Node {
        final String name;
        final String visibility;
        final int port = VccCluster.freePort();
        TcpProxy proxy;
        ConfigurableApplicationContext context;

        Node(String name, String visibility) {
            this.name = name;
            this.visibility = visibility;
        }

        void start(String token) {
            context = cluster.vccNode(name, port, "http://127.0.0.1:" + proxy.port(), server, token, visibility,
                    "--vcc.transfers.max-rate=3MB", "--vcc.transfers.retry-interval=300ms",
                    "--vcc.transfers.peer-read-timeout=10s");
        }

        void stop() {
            cluster.stop(context);
            context = null;
        }

        Path disk(String vmId) {
            return cluster.home(name, "vcc-node").resolve("disks").resolve(vmId).resolve("disk-0.img");
        }

        Path staging(String operationId) {
            return cluster.home(name, "vcc-node").resolve("staging").resolve(operationId);
        }
    }

    @BeforeAll
    void startSystem() throws IOException {
        cluster = new VccCluster(home);
        serverPort = VccCluster.freePort();
        server = "http://localhost:" + serverPort;
        startServer();
        admin = Api.basic(server, "admin", VccCluster.ADMIN_PASSWORD);
        for (Node node : new Node[] {a, b, c}) {
            node.proxy = new TcpProxy(node.port);
            node.start(admin.post("/api/v1/node-registrations", "{\"note\":\"" + node.name + "\"}").text("token"));
        }
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(admin.get("/api/v1/nodes").json().findValuesAsString("status")).containsOnly("RUNNING").hasSize(3));
        String tenant = admin.post("/api/v1/tenants", "{\"name\":\"acme\"}").json().path("id").asString();
        assertThat(admin.post("/api/v1/tenants/" + tenant + "/users",
                "{\"username\":\"acme-admin\",\"password\":\"acme-password-1\",\"role\":\"TENANT_ADMIN\"}").status()).isEqualTo(201);
        acme = Api.basic(server, "acme-admin", "acme-password-1");
        vdcA = vdc(tenant, a, "acme-a");
        vdcB = vdc(tenant, b, "acme-b");
        vdcC = vdc(tenant, c, "acme-c");
        vdcC2 = vdc(tenant, c, "acme-c2");
    }

    private void startServer() {
        serverContext = cluster.server(serverPort,
                "--vcc.transfers.chunk-size=1MB",
                "--vcc.transfers.node-deadline=25s",
                "--vcc.transfers.poll-interval=300ms",
                "--db-scheduler.polling-interval=200ms",
                "--db-scheduler.heartbeat-interval=1s",
                "--db-scheduler.missed-heartbeats-limit=4");
    }

    @AfterAll
    void stopSystem() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
        for (Node node : new Node[] {a, b, c}) {
            if (node.proxy != null) {
                node.proxy.close();
            }
        }
    }

    @Test
    @Order(1)
    void copyToAPublicNodePushesAndKeepsTheSource() throws Exception {
        JsonNode vm = vm(vdcA, a);
        String sourceDigest = sha256(a.disk(vm.path("id").asString()));

        Api.Response accepted = acme.post("/api/v1/transfers", transferBody(vdcA, vm, vdcB, "COPY"));
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        String operation = accepted.text("id");
        JsonNode done = awaitEnd(operation);

        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("outputs").path("direction").asString()).isEqualTo("PUSH");
        assertThat(done.path("steps").findValuesAsString("state"))
                .containsExactly("DONE", "DONE", "DONE", "DONE", "DONE", "SKIPPED", "DONE");
        JsonNode copy = targetVm(done, vdcB);
        assertThat(sha256(b.disk(copy.path("id").asString()))).isEqualTo(sourceDigest);
        assertThat(copy.path("cpus").asInt()).isEqualTo(vm.path("cpus").asInt());
        assertThat(copy.path("memoryMb").asLong()).isEqualTo(vm.path("memoryMb").asLong());
        assertThat(copy.path("disks").get(0).path("capacityBytes").asLong()).isEqualTo(vm.path("disks").get(0).path("capacityBytes").asLong());
        assertThat(mac(copy)).isNotEqualTo(mac(vm));
        assertThat(acme.get("/api/v1/vdcs/" + vdcA + "/vms/" + vm.path("id").asString()).status()).isEqualTo(200);
        assertThat(done.path("outputs").path("bytesOnWire").asLong()).isLessThanOrEqualTo(DISK_BYTES + SMALL_FILES_ALLOWANCE);
        assertThat(a.staging(operation)).doesNotExist();
        assertThat(b.staging(operation)).doesNotExist();
        assertThat(admin.get("/api/v1/operations?state=SUCCEEDED").json().findValuesAsString("id")).contains(operation);
    }

    @Test
    @Order(2)
    void moveToAPrivateNodePullsAndSurvivesARestartOfTheSourceNode() throws Exception {
        JsonNode vm = vm(vdcB, b);
        String vmId = vm.path("id").asString();
        String sourceDigest = sha256(b.disk(vmId));

        String operation = start(vdcB, vm, vdcC, "MOVE");
        awaitTransferred(operation, 6 * MIB);
        b.stop();
        Thread.sleep(1500);
        b.start(null);
        JsonNode done = awaitEnd(operation);

        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("outputs").path("direction").asString()).isEqualTo("PULL");
        JsonNode moved = targetVm(done, vdcC);
        assertThat(sha256(c.disk(moved.path("id").asString()))).isEqualTo(sourceDigest);
        assertThat(mac(moved)).isEqualTo(mac(vm));
        assertThat(acme.get("/api/v1/vdcs/" + vdcB + "/vms/" + vmId).status()).isEqualTo(404);
        assertResentAtMostOneChunkPerFailure(done, 1);
    }

    @Test
    @Order(3)
    void pushSurvivesARestartOfTheTargetNode() throws Exception {
        JsonNode vm = vm(vdcA, a);
        String sourceDigest = sha256(a.disk(vm.path("id").asString()));

        String operation = start(vdcA, vm, vdcB, "COPY");
        awaitTransferred(operation, 6 * MIB);
        b.stop();
        Thread.sleep(1500);
        b.start(null);
        JsonNode done = awaitEnd(operation);

        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(sha256(b.disk(targetVm(done, vdcB).path("id").asString()))).isEqualTo(sourceDigest);
        assertResentAtMostOneChunkPerFailure(done, 1);
    }

    @Test
    @Order(4)
    void aRestartOfTheServerMidTransferResumesTheWorkflow() throws Exception {
        JsonNode vm = vm(vdcA, a);
        String sourceDigest = sha256(a.disk(vm.path("id").asString()));

        String operation = start(vdcA, vm, vdcC, "COPY");
        awaitTransferred(operation, 6 * MIB);
        cluster.stop(serverContext);
        Thread.sleep(1500);
        startServer();
        JsonNode done = awaitEnd(operation);

        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(sha256(c.disk(targetVm(done, vdcC).path("id").asString()))).isEqualTo(sourceDigest);
        assertResentAtMostOneChunkPerFailure(done, 0);
    }

    @Test
    @Order(5)
    void cutConnectionsResumeFromTheLastCheckpoint() throws Exception {
        JsonNode vm = vm(vdcA, a);
        String sourceDigest = sha256(a.disk(vm.path("id").asString()));

        String operation = start(vdcA, vm, vdcC, "COPY");
        awaitTransferred(operation, 4 * MIB);
        a.proxy.cutAll();
        awaitTransferred(operation, 12 * MIB);
        a.proxy.cutAll();
        JsonNode done = awaitEnd(operation);

        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(sha256(c.disk(targetVm(done, vdcC).path("id").asString()))).isEqualTo(sourceDigest);
        assertResentAtMostOneChunkPerFailure(done, 2);
    }

    @Test
    @Order(6)
    void aChunkCorruptedInFlightIsDetectedAndSentAgain() throws Exception {
        JsonNode vm = vm(vdcA, a);
        String sourceDigest = sha256(a.disk(vm.path("id").asString()));
        TransferFaults faults = a.context.getBean(TransferFaults.class);
        int before = faults.corrupted();
        faults.corruptNextChunks(2);

        JsonNode done = awaitEnd(start(vdcA, vm, vdcB, "COPY"));

        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(faults.corrupted() - before).isEqualTo(2);
        assertThat(done.path("outputs").path("chunksResent").asInt()).isEqualTo(2);
        assertThat(sha256(b.disk(targetVm(done, vdcB).path("id").asString()))).isEqualTo(sourceDigest);
        assertResentAtMostOneChunkPerFailure(done, 2);
    }

    @Test
    @Order(7)
    void twoPrivateEndsAreRefusedBeforeAnythingStarts() {
        JsonNode vm = vm(vdcC, c);
        Api.Response refused = acme.post("/api/v1/transfers", transferBody(vdcC, vm, vdcC2, "COPY"));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.problemType()).isEqualTo("urn:vcc:problem:transfer-refused");
        assertThat(refused.text("detail")).contains("Both nodes are private");
    }

    @Test
    @Order(8)
    void anotherTenantCannotSeeTheOperations() {
        String operation = admin.get("/api/v1/operations").json().get(0).path("id").asString();
        String other = admin.post("/api/v1/tenants", "{\"name\":\"globex\"}").json().path("id").asString();
        admin.post("/api/v1/tenants/" + other + "/users",
                "{\"username\":\"globex-admin\",\"password\":\"globex-password-1\",\"role\":\"TENANT_ADMIN\"}");
        Api globex = Api.basic(server, "globex-admin", "globex-password-1");
        assertThat(globex.get("/api/v1/operations/" + operation).status()).isEqualTo(404);
        assertThat(globex.delete("/api/v1/operations/" + operation).status()).isEqualTo(404);
        assertThat(globex.get("/api/v1/operations").json().size()).isZero();
        assertThat(acme.get("/api/v1/operations/" + operation).status()).isEqualTo(200);
    }

    @Test
    @Order(9)
    void aSourceNodeThatStaysDownFailsTheMoveCleanlyAndTheSourceVmSurvives() throws Exception {
        JsonNode vm = vm(vdcA, a);
        String vmId = vm.path("id").asString();
        String sourceDigest = sha256(a.disk(vmId));

        String operation = start(vdcA, vm, vdcC, "MOVE");
        awaitTransferred(operation, 4 * MIB);
        a.stop();
        JsonNode failed = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> acme.get("/api/v1/operations/" + operation).json(), op -> op.path("state").asString().equals("FAILED"));

        assertThat(failed.path("error").asString()).contains("no progress");
        assertThat(acme.get("/api/v1/vdcs/" + vdcC + "/vms").json().findValuesAsString("name")).doesNotContain(vm.path("name").asString());
        assertThat(c.staging(operation)).doesNotExist();

        a.start(null);
        await().atMost(Duration.ofSeconds(60)).until(() -> acme.get("/api/v1/vdcs/" + vdcA + "/vms/" + vmId).status() == 200);
        assertThat(sha256(a.disk(vmId))).isEqualTo(sourceDigest);
    }

    @Test
    @Order(10)
    void chunksOfZerosInsideADiskAreNeitherPushedNorPulled() throws Exception {
        int zeros = 10 * MIB;
        for (Node target : java.util.List.of(b, c)) {
            JsonNode vm = vm(vdcA, a);
            String vmId = vm.path("id").asString();
            // Space the guest freed in the middle of its data.
            try (RandomAccessFile file = new RandomAccessFile(a.disk(vmId).toFile(), "rw")) {
                file.seek(8 * MIB);
                file.write(new byte[zeros]);
            }
            String sourceDigest = sha256(a.disk(vmId));

            JsonNode done = awaitEnd(start(vdcA, vm, target == b ? vdcB : vdcC, "COPY"));

            assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
            assertThat(done.path("outputs").path("direction").asString()).isEqualTo(target == b ? "PUSH" : "PULL");
            assertThat(sha256(target.disk(targetVm(done, target == b ? vdcB : vdcC).path("id").asString()))).isEqualTo(sourceDigest);
            assertThat(done.path("outputs").path("bytesOnWire").asLong()).as("bytes on the wire")
                    .isGreaterThanOrEqualTo(DISK_BYTES - zeros)
                    .isLessThanOrEqualTo(DISK_BYTES - zeros + SMALL_FILES_ALLOWANCE);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private void assertResentAtMostOneChunkPerFailure(JsonNode done, int failures) {
        long total = DISK_BYTES;
        long onWire = done.path("outputs").path("bytesOnWire").asLong();
        assertThat(onWire).as("bytes on the wire").isGreaterThanOrEqualTo(total)
                .isLessThanOrEqualTo(total + SMALL_FILES_ALLOWANCE + (long) failures * CHUNK);
    }

    private String vdc(String tenant, Node node, String name) {
        String cloud = admin.get("/api/v1/clouds").json().findValues("name").stream()
                .filter(n -> n.asString().equals(node.name)).findFirst().map(n -> admin.cloudId(node.name)).orElseThrow();
        Api.Response vdc = admin.post("/api/v1/vdcs", "{\"tenantId\":\"" + tenant + "\",\"cloudId\":\"" + cloud + "\",\"name\":\""
                + name + "\",\"cpuQuota\":64,\"memoryMbQuota\":65536,\"storageGbQuota\":100}");
        assertThat(vdc.status()).as(vdc.toString()).isEqualTo(201);
        return vdc.text("id");
    }

    /** A VM whose disk image holds 24 MiB of random content, as a guest that wrote data into a thin disk. */
    private JsonNode vm(String vdc, Node node) {
        String name = "vm-" + (++vmCount);
        Api.Response created = acme.post("/api/v1/vdcs/" + vdc + "/vms", "{\"name\":\"" + name + "\",\"cpus\":2,\"memoryMb\":1024,\"diskGb\":1}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode vm = created.json();
        byte[] content = new byte[DISK_BYTES];
        new Random(vmCount * 7919L).nextBytes(content);
        try (RandomAccessFile file = new RandomAccessFile(node.disk(vm.path("id").asString()).toFile(), "rw")) {
            file.setLength(DISK_BYTES);
            file.seek(0);
            file.write(content);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return vm;
    }

    private String start(String sourceVdc, JsonNode vm, String targetVdc, String mode) {
        Api.Response accepted = acme.post("/api/v1/transfers", transferBody(sourceVdc, vm, targetVdc, mode));
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        return accepted.text("id");
    }

    private static String transferBody(String sourceVdc, JsonNode vm, String targetVdc, String mode) {
        return "{\"sourceVdcId\":\"" + sourceVdc + "\",\"vmId\":\"" + vm.path("id").asString() + "\",\"targetVdcId\":\""
                + targetVdc + "\",\"mode\":\"" + mode + "\"}";
    }

    private void awaitTransferred(String operation, long bytes) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode op = acme.get("/api/v1/operations/" + operation).json();
            return "transfer".equals(op.path("currentStep").asString(null)) && op.path("bytesDone").asLong() >= bytes;
        });
    }

    private JsonNode awaitEnd(String operation) {
        return acme.awaitOperationEnd(operation, Duration.ofSeconds(180), Duration.ofMillis(300));
    }

    private JsonNode targetVm(JsonNode operation, String vdc) {
        String id = operation.path("outputs").path("targetVmId").asString();
        Api.Response vm = acme.get("/api/v1/vdcs/" + vdc + "/vms/" + id);
        assertThat(vm.status()).as(vm.toString()).isEqualTo(200);
        return vm.json();
    }

    private static String mac(JsonNode vm) {
        return vm.path("nics").get(0).path("mac").asString();
    }
}
