package io.vcc.e2e;

import static io.vcc.e2e.Digests.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
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
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two server replicas, each a process of its own, on one PostgreSQL (an embedded one this test starts), with two
 * public nodes: the replicas start together on the empty database (one admin, each migration once, both serve);
 * an event stream on one replica shows every change of an operation started on the other; and a transfer started
 * on one replica is finished by the other after the first is killed with SIGKILL mid-transfer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerReplicasE2ETest {

    private static final int MIB = 1024 * 1024;

    /** Kept when a test fails: the services' logs are in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path home;

    private EmbeddedPostgres postgres;
    private VccCluster cluster;
    private final Replica a = new Replica("replica-a");
    private final Replica b = new Replica("replica-b");
    private final List<ServiceProcess> nodes = new ArrayList<>();
    private String adminPassword;
    private String vdcA;
    private String vdcB;
    private int vmCount;

    private static final class Replica {
        final String name;
        final int port = VccCluster.freePort();
        final String url = "http://localhost:" + port;
        ServiceProcess process;
        Api admin;

        Replica(String name) {
            this.name = name;
        }

        Path adminPasswordFile() {
            return home.resolve(name).resolve("vcc-server").resolve("admin-password");
        }
    }

    @BeforeAll
    void startSystem() throws Exception {
        postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "off").start();
        cluster = new VccCluster(home);
        String secretKey = Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32));
        // Started together, on an empty database, with no admin password given: each would make the admin.
        for (Replica replica : List.of(a, b)) {
            replica.process = cluster.serverReplicaProcess(replica.name, replica.port,
                    "--spring.datasource.url=" + jdbcUrl(),
                    "--spring.datasource.username=postgres",
                    "--vcc.secret-key=" + secretKey,
                    "--vcc.replica-name=" + replica.name,
                    "--vcc.transfers.chunk-size=1MB",
                    "--vcc.transfers.poll-interval=300ms",
                    "--db-scheduler.polling-interval=200ms",
                    "--db-scheduler.heartbeat-interval=1s",
                    "--db-scheduler.missed-heartbeats-limit=4");
        }
        for (Replica replica : List.of(a, b)) {
            Api anonymous = Api.anonymous(replica.url);
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> anonymous.get("/actuator/health").status() == 200 || !replica.process.alive());
            assertThat(replica.process.alive()).as(replica.name + " still runs (see " + replica.name + ".log)").isTrue();
        }
        adminPassword = Stream.of(a, b).map(Replica::adminPasswordFile).filter(Files::exists).findFirst()
                .map(ServerReplicasE2ETest::read).orElseThrow(() -> new AssertionError("no replica generated the admin password"));
        a.admin = Api.basic(a.url, "admin", adminPassword);
        b.admin = Api.basic(b.url, "admin", adminPassword);

        // Registered through replica A; they report to replica B, which this test never kills.
        for (String name : List.of("node-a", "node-b")) {
            int port = VccCluster.freePort();
            String token = a.admin.post("/api/v1/node-registrations", "{\"note\":\"" + name + "\"}").text("token");
            nodes.add(cluster.vccNodeProcess(name, port, "http://127.0.0.1:" + port, b.url, token, "PUBLIC",
                    "--vcc.transfers.max-rate=3MB", "--vcc.transfers.retry-interval=300ms"));
        }
        await().atMost(Duration.ofSeconds(300)).untilAsserted(() ->
                assertThat(b.admin.get("/api/v1/nodes").json().findValuesAsString("status")).containsOnly("RUNNING").hasSize(2));
        String tenant = a.admin.createTenantWithAdmin("acme");
        vdcA = a.admin.createVdc(tenant, "node-a", "acme-a", 100);
        vdcB = a.admin.createVdc(tenant, "node-b", "acme-b", 100);
    }

    @AfterAll
    void stopSystem() throws IOException {
        for (ServiceProcess process : nodes) {
            process.close();
        }
        for (Replica replica : List.of(a, b)) {
            if (replica.process != null) {
                replica.process.close();
            }
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @Order(1)
    void replicasStartedTogetherOnAnEmptyDatabaseMakeOneAdminAndMigrateOnce() throws Exception {
        assertThat(Stream.of(a, b).filter(replica -> Files.exists(replica.adminPasswordFile())))
                .as("exactly one replica made the admin and stored its generated password").hasSize(1);
        assertThat(a.admin.get("/api/v1/nodes").status()).isEqualTo(200);
        assertThat(b.admin.get("/api/v1/nodes").status()).isEqualTo(200);
        // The status is a live observation either replica may make; one probe that timed out on a loaded machine
        // shows NOT_RESPONDING until the next round, so replica A is given a round or two to show both RUNNING.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(a.admin.get("/api/v1/nodes").json().findValuesAsString("status")).containsOnly("RUNNING").hasSize(2));

        int migrations = new PathMatchingResourcePatternResolver().getResources("classpath*:db/server/V*.sql").length;
        assertThat(migrations).isPositive();
        assertThat(query("select count(*) from app_user where username = 'admin'")).isEqualTo(1);
        assertThat(query("select count(*) from flyway_schema_history where version is not null")).isEqualTo(migrations);
        assertThat(query("select count(distinct version) from flyway_schema_history where version is not null and success"))
                .isEqualTo(migrations);
        // Node polling is one recurring task: one replica at a time polls, not each of them.
        assertThat(query("select count(*) from scheduled_tasks where task_name = 'node-status'")).isEqualTo(1);
    }

    @Test
    @Order(2)
    void anEventStreamOnOneReplicaShowsEveryChangeOfAnOperationStartedOnTheOther() {
        List<String> onA = new CopyOnWriteArrayList<>();
        List<String> onB = new CopyOnWriteArrayList<>();
        a.admin.stream("/api/v1/events", onA::add);
        b.admin.stream("/api/v1/events", onB::add);
        await().atMost(Duration.ofSeconds(10)).until(() -> subscribed(onA) && subscribed(onB));

        String operation = startTransfer(a, vm(2 * MIB));

        JsonNode done = awaitEnd(b, operation);
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(states(events(onA, operation))).endsWith("SUCCEEDED");
            assertThat(states(events(onB, operation))).endsWith("SUCCEEDED");
        });
        // The start was published by replica A alone: B shows it only because A notified it.
        assertThat(states(events(onB, operation))).startsWith("QUEUED").contains("RUNNING");
        assertThat(events(onB, operation)).hasSizeGreaterThan(3).containsExactlyInAnyOrderElementsOf(events(onA, operation));
    }

    @Test
    @Order(3)
    void aTransferStartedOnOneReplicaIsFinishedByTheOtherAfterTheFirstIsKilled() {
        JsonNode vm = vm(24 * MIB);
        String sourceDigest = sha256(disk("node-a", vm.path("id").asString()));
        String operation = startTransfer(a, vm);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode op = a.admin.get("/api/v1/operations/" + operation).json();
            return "transfer".equals(op.path("currentStep").asString(null)) && op.path("bytesDone").asLong() >= 6L * MIB;
        });

        a.process.kill();

        JsonNode done = awaitEnd(b, operation);
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("steps").findValuesAsString("state")).containsOnly("DONE", "SKIPPED");
        String copyId = done.path("outputs").path("targetVmId").asString();
        assertThat(sha256(disk("node-b", copyId))).isEqualTo(sourceDigest);
        List<String> names = new ArrayList<>();
        for (JsonNode held : b.admin.get("/api/v1/vdcs/" + vdcB + "/vms").json()) {
            names.add(held.path("name").asString());
        }
        assertThat(names).as("one copy, not two").containsOnlyOnce(vm.path("name").asString());
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private String startTransfer(Replica on, JsonNode vm) {
        Api.Response accepted = on.admin.post("/api/v1/transfers", "{\"sourceVdcId\":\"" + vdcA + "\",\"vmId\":\""
                + vm.path("id").asString() + "\",\"targetVdcId\":\"" + vdcB + "\",\"mode\":\"COPY\"}");
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        return accepted.text("id");
    }

    private static JsonNode awaitEnd(Replica on, String operation) {
        return on.admin.awaitOperationEnd(operation, Duration.ofSeconds(240), Duration.ofMillis(500));
    }

    /** A VM in node a whose disk holds {@code bytes} of random content. */
    private JsonNode vm(int bytes) {
        String name = "vm-" + (++vmCount);
        Api.Response created = a.admin.post("/api/v1/vdcs/" + vdcA + "/vms", "{\"name\":\"" + name + "\",\"cpus\":1,\"memoryMb\":512,\"diskGb\":1}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode vm = created.json();
        byte[] content = new byte[bytes];
        new Random(vmCount).nextBytes(content);
        try (RandomAccessFile file = new RandomAccessFile(disk("node-a", vm.path("id").asString()).toFile(), "rw")) {
            file.setLength(bytes);
            file.write(content);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return vm;
    }

    private Path disk(String node, String vmId) {
        return cluster.home(node, "vcc-node").resolve("disks").resolve(vmId).resolve("disk-0.img");
    }

    private String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    private long query(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), "postgres", "");
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    private static boolean subscribed(List<String> lines) {
        return lines.stream().anyMatch(line -> line.startsWith(":"));
    }

    private static List<JsonNode> events(List<String> lines, String operation) {
        return lines.stream().filter(line -> line.startsWith("data:")).map(line -> JsonMapper.shared().readTree(line.substring(5)))
                .filter(event -> event.path("id").asString().equals(operation)).toList();
    }

    private static List<String> states(List<JsonNode> events) {
        List<String> states = new ArrayList<>();
        for (JsonNode event : events) {
            String state = event.path("state").asString();
            if (states.isEmpty() || !states.get(states.size() - 1).equals(state)) {
                states.add(state);
            }
        }
        return states;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
