package io.vcc.e2e;

import static io.vcc.e2e.Digests.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Transfers survive a hard kill (SIGKILL) of each party: the server and two public nodes run as
 * processes of their own, each with its embedded PostgreSQL, and the test kills one mid-transfer and
 * starts it again on the same data, as an operator would after a crash. Each transfer completes with
 * the imported disk's SHA-256 equal to the source's, and at most one chunk is sent twice per kill. The
 * bytes are counted by a TCP proxy in front of the target node, which no kill resets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KilledProcessesE2ETest {

    private static final int MIB = 1024 * 1024;
    private static final int DISK_BYTES = 24 * MIB;
    private static final int CHUNK = MIB;
    /** Descriptor, manifest, HTTP headers and the server's own calls to node b; a few dozen KiB. */
    private static final int OVERHEAD_ALLOWANCE = 256 * 1024;

    @TempDir
    static Path home;

    private VccCluster cluster;
    private int serverPort;
    private String server;
    private ServiceProcess serverProcess;
    private final Node a = new Node("node-a");
    private final Node b = new Node("node-b");
    private Api admin;
    private Api acme;
    private String vdcA;
    private String vdcB;
    private int vmCount;

    private final class Node {
        final String name;
        final int port = VccCluster.freePort();
        final TcpProxy proxy;
        ServiceProcess process;

        Node(String name) {
            this.name = name;
            try {
                this.proxy = new TcpProxy(port);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void start(String token) {
            // Node b's cloud takes 2 s per operation, so that a test can find it importing.
            process = cluster.vccNodeProcess(name, port, "http://127.0.0.1:" + proxy.port(), server, token, "PUBLIC",
                    "--vcc.transfers.max-rate=3MB", "--vcc.transfers.retry-interval=300ms", "--vcc.transfers.peer-read-timeout=10s",
                    "--vcc.sim.operation-delay=" + (name.equals("node-b") ? "2s" : "20ms"));
        }

        Path disk(String vmId) {
            return cluster.home(name, "vcc-node").resolve("disks").resolve(vmId).resolve("disk-0.img");
        }

        Path staging(String operationId) {
            return cluster.home(name, "vcc-node").resolve("staging").resolve(operationId);
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
        a.start(admin.post("/api/v1/node-registrations", "{\"note\":\"a\"}").text("token"));
        b.start(admin.post("/api/v1/node-registrations", "{\"note\":\"b\"}").text("token"));
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
                assertThat(admin.get("/api/v1/nodes").json().findValuesAsString("status")).containsOnly("RUNNING").hasSize(2));
        String tenant = admin.createTenantWithAdmin("acme");
        acme = admin.asTenantAdmin("acme");
        vdcA = admin.createVdc(tenant, "node-a", "acme-a", 100);
        vdcB = admin.createVdc(tenant, "node-b", "acme-b", 100);
    }

    private void startServer() {
        serverProcess = cluster.serverProcess(serverPort,
                "--vcc.transfers.chunk-size=1MB",
                "--vcc.transfers.poll-interval=300ms",
                "--db-scheduler.polling-interval=200ms",
                "--db-scheduler.heartbeat-interval=1s",
                "--db-scheduler.missed-heartbeats-limit=4");
    }

    @AfterAll
    void stopSystem() throws IOException {
        for (ServiceProcess process : new ServiceProcess[] {a.process, b.process, serverProcess}) {
            if (process != null) {
                process.close();
            }
        }
        a.proxy.close();
        b.proxy.close();
        try (Stream<Path> files = Files.walk(home)) {
            files.filter(file -> file.getFileName().toString().equals("postmaster.pid")).forEach(KilledProcessesE2ETest::stopPostgres);
        }
    }

    @Test
    @Order(1)
    void killingTheTargetNodeMidTransfer() throws Exception {
        assertSurvives(() -> {
            b.process.kill();
            b.start(null);
        });
    }

    @Test
    @Order(2)
    void killingTheSourceNodeMidTransfer() throws Exception {
        assertSurvives(() -> {
            a.process.kill();
            a.start(null);
        });
    }

    @Test
    @Order(3)
    void killingTheServerMidTransfer() throws Exception {
        assertSurvives(() -> {
            serverProcess.kill();
            startServer();
        });
    }

    @Test
    @Order(4)
    void killingTheTargetNodeWhileItImports() throws Exception {
        JsonNode vm = vm();
        String sourceDigest = sha256(a.disk(vm.path("id").asString()));
        Api.Response accepted = acme.post("/api/v1/transfers", "{\"sourceVdcId\":\"" + vdcA + "\",\"vmId\":\""
                + vm.path("id").asString() + "\",\"targetVdcId\":\"" + vdcB + "\",\"mode\":\"COPY\"}");
        String operation = accepted.text("id");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() ->
                "import".equals(acme.get("/api/v1/operations/" + operation).json().path("currentStep").asString(null)));

        b.process.kill();
        b.start(null);

        JsonNode done = await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> acme.get("/api/v1/operations/" + operation).json(),
                        op -> op.path("state").asString().matches("SUCCEEDED|FAILED|CANCELLED"));
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        String copyId = done.path("outputs").path("targetVmId").asString();
        assertThat(sha256(b.disk(copyId))).isEqualTo(sourceDigest);
        List<String> names = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (JsonNode held : acme.get("/api/v1/vdcs/" + vdcB + "/vms").json()) {
            names.add(held.path("name").asString());
            ids.add(held.path("id").asString());
        }
        assertThat(names).as("one copy, not two").containsOnlyOnce(vm.path("name").asString());
        // Nothing half-imported stays behind: every disk directory on node b belongs to a VM it holds.
        try (Stream<Path> directories = Files.list(cluster.home("node-b", "vcc-node").resolve("disks"))) {
            assertThat(directories.map(directory -> directory.getFileName().toString())).containsExactlyInAnyOrderElementsOf(ids);
        }
        assertThat(b.staging(operation)).doesNotExist();
    }

    private void assertSurvives(Runnable kill) throws Exception {
        JsonNode vm = vm();
        String sourceDigest = sha256(a.disk(vm.path("id").asString()));
        Api.Response accepted = acme.post("/api/v1/transfers", "{\"sourceVdcId\":\"" + vdcA + "\",\"vmId\":\""
                + vm.path("id").asString() + "\",\"targetVdcId\":\"" + vdcB + "\",\"mode\":\"COPY\"}");
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        String operation = accepted.text("id");
        long proxiedBefore = b.proxy.bytes();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode op = acme.get("/api/v1/operations/" + operation).json();
            return "transfer".equals(op.path("currentStep").asString(null)) && op.path("bytesDone").asLong() >= 6L * MIB;
        });

        kill.run();

        JsonNode done = await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> acme.get("/api/v1/operations/" + operation).json(),
                        op -> op.path("state").asString().matches("SUCCEEDED|FAILED|CANCELLED"));
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        Api.Response copy = acme.get("/api/v1/vdcs/" + vdcB + "/vms/" + done.path("outputs").path("targetVmId").asString());
        assertThat(copy.status()).as(copy.toString()).isEqualTo(200);
        assertThat(sha256(b.disk(copy.json().path("id").asString()))).isEqualTo(sourceDigest);
        assertThat(b.proxy.bytes() - proxiedBefore).as("bytes through node b's proxy")
                .isBetween((long) DISK_BYTES, (long) DISK_BYTES + OVERHEAD_ALLOWANCE + CHUNK);
        assertThat(a.staging(operation)).doesNotExist();
        assertThat(b.staging(operation)).doesNotExist();
    }

    /** A VM in node a whose disk holds random content. */
    private JsonNode vm() {
        String name = "vm-" + (++vmCount);
        Api.Response created = acme.post("/api/v1/vdcs/" + vdcA + "/vms", "{\"name\":\"" + name + "\",\"cpus\":1,\"memoryMb\":512,\"diskGb\":1}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode vm = created.json();
        byte[] content = new byte[DISK_BYTES];
        new Random(vmCount).nextBytes(content);
        try (RandomAccessFile file = new RandomAccessFile(a.disk(vm.path("id").asString()).toFile(), "rw")) {
            file.setLength(DISK_BYTES);
            file.write(content);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return vm;
    }

    private static void stopPostgres(Path pidFile) {
        try {
            String pid = Files.readAllLines(pidFile).get(0).strip();
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroy);
        } catch (IOException | RuntimeException e) {
            // already gone
        }
    }
}
