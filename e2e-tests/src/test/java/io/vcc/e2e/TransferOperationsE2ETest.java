package io.vcc.e2e;

import static io.vcc.e2e.Digests.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Transfers as operations a caller drives: refusals before anything starts, a queue when a node already
 * takes part in as many transfers as allowed (one here), progress with rate and ETA, the live event
 * stream scoped to the tenant, cancelling a running transfer, and vApps and catalog templates as what is
 * transferred. A server and two public nodes, each
 * node capped at 4 MB/s so a 16 MiB disk takes a few seconds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TransferOperationsE2ETest {

    private static final int MIB = 1024 * 1024;
    private static final int DISK_BYTES = 16 * MIB;

    @TempDir
    static Path home;

    private VccCluster cluster;
    private String server;
    private Api admin;
    private Api acme;
    private Api globex;
    private String acmeTenant;
    private String vdcA;
    private String vdcB;
    private String globexVdcA;
    private int vmCount;

    @BeforeAll
    void startSystem() {
        cluster = new VccCluster(home);
        int serverPort = VccCluster.freePort();
        server = "http://localhost:" + serverPort;
        cluster.server(serverPort,
                "--vcc.transfers.chunk-size=1MB",
                "--vcc.transfers.max-per-node=1",
                "--vcc.transfers.poll-interval=300ms",
                "--db-scheduler.polling-interval=200ms");
        admin = Api.basic(server, "admin", VccCluster.ADMIN_PASSWORD);
        for (String node : List.of("node-a", "node-b")) {
            int port = VccCluster.freePort();
            cluster.vccNode(node, port, "http://127.0.0.1:" + port, server,
                    admin.post("/api/v1/node-registrations", "{\"note\":\"" + node + "\"}").text("token"), "PUBLIC",
                    "--vcc.transfers.max-rate=4MB", "--vcc.transfers.retry-interval=300ms");
        }
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                assertThat(admin.get("/api/v1/nodes").json().findValuesAsString("status")).containsOnly("RUNNING").hasSize(2));
        acmeTenant = admin.createTenantWithAdmin("acme");
        acme = admin.asTenantAdmin("acme");
        String globexTenant = admin.createTenantWithAdmin("globex");
        globex = admin.asTenantAdmin("globex");
        vdcA = admin.createVdc(acmeTenant, "node-a", "acme-a", 100);
        vdcB = admin.createVdc(acmeTenant, "node-b", "acme-b", 100);
        globexVdcA = admin.createVdc(globexTenant, "node-a", "globex-a", 100);
    }

    @AfterAll
    void stopSystem() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void whatCannotWorkIsRefusedAtOnceAndStartsNothing() {
        JsonNode vm = vm(acme, vdcA, "node-a", 2);
        String small = admin.createVdc(acmeTenant, "node-b", "acme-small", 1);
        vm(acme, vdcB, "node-b", 1, vm.path("name").asString());
        JsonNode globexVm = vm(globex, globexVdcA, "node-a", 1);
        int operationsBefore = admin.get("/api/v1/operations").json().size();

        Api.Response overQuota = acme.post("/api/v1/transfers", body(vdcA, vm.path("id").asString(), small, "COPY"));
        assertThat(overQuota.status()).as(overQuota.toString()).isEqualTo(409);
        assertThat(overQuota.problemType()).isEqualTo("urn:vcc:problem:quota-exceeded");
        assertThat(overQuota.text("detail")).contains("storage GB 0+2 > 1");

        Api.Response nameTaken = acme.post("/api/v1/transfers", body(vdcA, vm.path("id").asString(), vdcB, "MOVE"));
        assertThat(nameTaken.status()).as(nameTaken.toString()).isEqualTo(409);
        assertThat(nameTaken.problemType()).isEqualTo("urn:vcc:problem:duplicate");

        Api.Response noSuchVm = acme.post("/api/v1/transfers", body(vdcA, "no-such-vm", vdcB, "COPY"));
        assertThat(noSuchVm.status()).as(noSuchVm.toString()).isEqualTo(404);
        Api.Response othersVm = acme.post("/api/v1/transfers", body(vdcA, globexVm.path("id").asString(), vdcB, "COPY"));
        assertThat(othersVm.status()).as(othersVm.toString()).isEqualTo(404);
        Api.Response othersVdc = acme.post("/api/v1/transfers", body(globexVdcA, globexVm.path("id").asString(), vdcB, "COPY"));
        assertThat(othersVdc.status()).as(othersVdc.toString()).isEqualTo(404);
        Api.Response noMode = acme.post("/api/v1/transfers", "{\"sourceVdcId\":\"" + vdcA + "\",\"vmId\":\"" + vm.path("id").asString()
                + "\",\"targetVdcId\":\"" + vdcB + "\"}");
        assertThat(noMode.status()).as(noMode.toString()).isEqualTo(400);
        assertThat(noMode.problemType()).isEqualTo("urn:vcc:problem:validation");

        assertThat(admin.get("/api/v1/operations").json().size()).isEqualTo(operationsBefore);
        assertThat(acme.get("/api/v1/vdcs/" + small + "/vms").json().size()).isZero();
        assertThat(acme.get("/api/v1/vdcs/" + vdcB + "/vms").json().size()).isEqualTo(1);
        assertThat(acme.get("/api/v1/vdcs/" + vdcA + "/vms/" + vm.path("id").asString()).status()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void aSecondTransferOfABusyNodeQueuesWhileTheFirstShowsRateAndEtaOnTheEventStream() {
        List<String> acmeEvents = new CopyOnWriteArrayList<>();
        List<String> globexEvents = new CopyOnWriteArrayList<>();
        acme.stream("/api/v1/events", acmeEvents::add);
        globex.stream("/api/v1/events", globexEvents::add);
        await().atMost(Duration.ofSeconds(10)).until(() -> subscribed(acmeEvents) && subscribed(globexEvents));
        JsonNode first = vm(acme, vdcA, "node-a", 1);
        JsonNode second = vm(acme, vdcA, "node-a", 1);

        String running = start(body(vdcA, first.path("id").asString(), vdcB, "COPY"));
        String queued = start(body(vdcA, second.path("id").asString(), vdcB, "COPY"));

        JsonNode moving = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> operation(running), op -> "transfer".equals(op.path("currentStep").asString(null))
                        && op.path("bytesDone").asLong() >= 2L * MIB && op.path("etaSeconds").isNumber());
        assertThat(moving.path("bytesTotal").asLong()).isGreaterThanOrEqualTo(DISK_BYTES);
        assertThat(moving.path("rateBytesPerSecond").asLong()).isPositive();
        assertThat(operation(queued).path("state").asString()).isEqualTo("QUEUED");
        assertThat(acme.get("/api/v1/operations?state=QUEUED").json().findValuesAsString("id")).containsExactly(queued);

        JsonNode firstDone = awaitEnd(running);
        JsonNode secondDone = awaitEnd(queued);
        assertThat(firstDone.path("state").asString()).as(firstDone.toString()).isEqualTo("SUCCEEDED");
        assertThat(secondDone.path("state").asString()).as(secondDone.toString()).isEqualTo("SUCCEEDED");
        assertThat(Instant.parse(secondDone.path("startedAt").asString())).isAfterOrEqualTo(firstDone.path("endedAt").asString());
        JsonNode transferStep = step(firstDone, "transfer");
        assertThat(transferStep.path("bytesDone").asLong()).isEqualTo(transferStep.path("bytesTotal").asLong())
                .isGreaterThanOrEqualTo(DISK_BYTES);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(states(acmeEvents, queued)).contains("SUCCEEDED"));
        assertThat(states(acmeEvents, queued)).startsWith("QUEUED").contains("RUNNING");
        assertThat(progress(acmeEvents, running)).hasSizeGreaterThan(2).isSorted();
        assertThat(globexEvents).noneMatch(line -> line.contains(running) || line.contains(queued));
    }

    @Test
    @Order(3)
    void aCancelledTransferLeavesNothingBehindAndKeepsTheSource() {
        JsonNode vm = vm(acme, vdcA, "node-a", 1);
        String operation = start(body(vdcA, vm.path("id").asString(), vdcB, "MOVE"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> operation(operation), op -> "transfer".equals(op.path("currentStep").asString(null))
                        && op.path("bytesDone").asLong() >= 2L * MIB);

        assertThat(globex.delete("/api/v1/operations/" + operation).status()).isEqualTo(404);
        Api.Response cancel = acme.delete("/api/v1/operations/" + operation);
        assertThat(cancel.status()).as(cancel.toString()).isEqualTo(202);
        assertThat(cancel.json().path("cancelRequested").asBoolean()).isTrue();
        JsonNode cancelled = awaitEnd(operation);

        assertThat(cancelled.path("state").asString()).as(cancelled.toString()).isEqualTo("CANCELLED");
        assertThat(acme.get("/api/v1/vdcs/" + vdcB + "/vms").json().findValuesAsString("name")).doesNotContain(vm.path("name").asString());
        assertThat(staging("node-a", operation)).doesNotExist();
        assertThat(staging("node-b", operation)).doesNotExist();
        assertThat(acme.get("/api/v1/vdcs/" + vdcA + "/vms/" + vm.path("id").asString()).status()).isEqualTo(200);
        Api.Response again = acme.delete("/api/v1/operations/" + operation);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.problemType()).isEqualTo("urn:vcc:problem:invalid-state");
    }

    @Test
    @Order(4)
    void aVappMovesWithAllItsVmsAndItsCapturedTemplateCopiesIntoAnotherCatalog() throws Exception {
        JsonNode web = vm(acme, vdcA, "node-a", 1, "web", "shop");
        JsonNode db = vm(acme, vdcA, "node-a", 1, "db", "shop");
        String vapp = web.path("vappId").asString();
        assertThat(db.path("vappId").asString()).isEqualTo(vapp);
        String webDigest = sha256(disk("node-a", web));
        String dbDigest = sha256(disk("node-a", db));

        JsonNode moved = awaitEnd(start("{\"sourceVdcId\":\"" + vdcA + "\",\"vappId\":\"" + vapp + "\",\"targetVdcId\":\""
                + vdcB + "\",\"mode\":\"MOVE\"}"));

        assertThat(moved.path("state").asString()).as(moved.toString()).isEqualTo("SUCCEEDED");
        String targetVapp = moved.path("outputs").path("targetVappId").asString();
        JsonNode shop = stream(acme.get("/api/v1/vdcs/" + vdcB + "/vapps").json())
                .filter(each -> each.path("id").asString().equals(targetVapp)).findFirst().orElseThrow();
        assertThat(shop.path("name").asString()).isEqualTo("shop");
        List<JsonNode> copies = stream(shop.path("vmIds")).map(id -> acme.get("/api/v1/vdcs/" + vdcB + "/vms/" + id.asString()).json()).toList();
        assertThat(copies).extracting(vm -> vm.path("name").asString()).containsExactly("db", "web");
        assertThat(sha256(disk("node-b", copies.get(0)))).isEqualTo(dbDigest);
        assertThat(sha256(disk("node-b", copies.get(1)))).isEqualTo(webDigest);
        assertThat(mac(copies.get(1))).as("a move keeps the MACs").isEqualTo(mac(web));
        assertThat(acme.get("/api/v1/vdcs/" + vdcA + "/vms/" + web.path("id").asString()).status()).isEqualTo(404);
        assertThat(acme.get("/api/v1/vdcs/" + vdcA + "/vms/" + db.path("id").asString()).status()).isEqualTo(404);

        Api.Response captured = acme.post("/api/v1/vdcs/" + vdcB + "/templates", "{\"name\":\"shop-v1\",\"vappId\":\"" + targetVapp + "\"}");
        assertThat(captured.status()).as(captured.toString()).isEqualTo(201);
        String template = captured.text("id");
        assertThat(globex.get("/api/v1/vdcs/" + vdcB + "/templates/" + template).status()).isEqualTo(404);
        JsonNode copied = awaitEnd(start("{\"sourceVdcId\":\"" + vdcB + "\",\"templateId\":\"" + template + "\",\"targetVdcId\":\""
                + vdcA + "\",\"mode\":\"COPY\"}"));

        assertThat(copied.path("state").asString()).as(copied.toString()).isEqualTo("SUCCEEDED");
        JsonNode catalogCopy = acme.get("/api/v1/vdcs/" + vdcA + "/templates/" + copied.path("outputs").path("targetTemplateId").asString()).json();
        assertThat(catalogCopy.path("name").asString()).isEqualTo("shop-v1");
        assertThat(stream(catalogCopy.path("vms")).map(vm -> vm.path("name").asString()).toList()).containsExactly("db", "web");
        assertThat(acme.get("/api/v1/vdcs/" + vdcB + "/templates/" + template).status()).as("a copy keeps the source").isEqualTo(200);
        Api.Response instance = acme.post("/api/v1/vdcs/" + vdcA + "/templates/" + catalogCopy.path("id").asString() + "/instances",
                "{\"name\":\"shop2\"}");
        assertThat(instance.status()).as(instance.toString()).isEqualTo(201);
        JsonNode web2 = acme.get("/api/v1/vdcs/" + vdcA + "/vms/" + instance.json().path("vmIds").get(1).asString()).json();
        assertThat(web2.path("name").asString()).isEqualTo("shop2-web");
        assertThat(sha256(disk("node-a", web2))).isEqualTo(webDigest);

        Api.Response both = acme.post("/api/v1/transfers", "{\"sourceVdcId\":\"" + vdcB + "\",\"vmId\":\"" + copies.get(0).path("id").asString()
                + "\",\"templateId\":\"" + template + "\",\"targetVdcId\":\"" + vdcA + "\",\"mode\":\"COPY\"}");
        assertThat(both.status()).as(both.toString()).isEqualTo(400);
        assertThat(both.problemType()).isEqualTo("urn:vcc:problem:validation");
    }

    @Test
    @Order(5)
    void aThinDiskTravelsAsWhatItHoldsNotAsItsCapacity() throws Exception {
        Api.Response created = acme.post("/api/v1/vdcs/" + vdcA + "/vms", "{\"name\":\"thin\",\"cpus\":1,\"memoryMb\":512,\"diskGb\":4}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode thin = created.json();
        Api.Response fresh = acme.post("/api/v1/vdcs/" + vdcA + "/vms", "{\"name\":\"fresh\",\"cpus\":1,\"memoryMb\":512,\"diskGb\":2}");
        byte[] head = new byte[MIB];
        byte[] middle = new byte[MIB];
        new Random(5).nextBytes(head);
        new Random(6).nextBytes(middle);
        try (RandomAccessFile file = new RandomAccessFile(disk("node-a", thin).toFile(), "rw")) {
            file.write(head);
            file.seek(5L * MIB);
            file.write(middle);
        }
        assertThat(Files.size(disk("node-a", thin))).as("a 4 GiB sparse disk").isEqualTo(4L << 30);

        JsonNode copied = awaitEnd(start(body(vdcA, thin.path("id").asString(), vdcB, "COPY")));
        JsonNode copiedFresh = awaitEnd(start(body(vdcA, fresh.json().path("id").asString(), vdcB, "COPY")));

        assertThat(copied.path("state").asString()).as(copied.toString()).isEqualTo("SUCCEEDED");
        assertThat(copied.path("outputs").path("bytesOnWire").asLong()).as("what the disk holds: its two chunks with data")
                .isBetween(2L * MIB, 2L * MIB + 64 * 1024);
        JsonNode copy = acme.get("/api/v1/vdcs/" + vdcB + "/vms/" + copied.path("outputs").path("targetVmId").asString()).json();
        assertThat(copy.path("disks").get(0).path("capacityBytes").asLong()).isEqualTo(4L << 30);
        byte[] expected = new byte[6 * MIB];
        System.arraycopy(head, 0, expected, 0, MIB);
        System.arraycopy(middle, 0, expected, 5 * MIB, MIB);
        assertThat(Files.readAllBytes(disk("node-b", copy))).as("the data, and zeros where the source has none").isEqualTo(expected);

        assertThat(copiedFresh.path("state").asString()).as(copiedFresh.toString()).isEqualTo("SUCCEEDED");
        assertThat(copiedFresh.path("outputs").path("bytesOnWire").asLong()).as("a disk never written sends no disk bytes")
                .isLessThan(64 * 1024);
        JsonNode freshCopy = acme.get("/api/v1/vdcs/" + vdcB + "/vms/" + copiedFresh.path("outputs").path("targetVmId").asString()).json();
        assertThat(freshCopy.path("disks").get(0).path("capacityBytes").asLong()).isEqualTo(2L << 30);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private JsonNode vm(Api api, String vdc, String node, int diskGb) {
        return vm(api, vdc, node, diskGb, "vm-" + (++vmCount));
    }

    private JsonNode vm(Api api, String vdc, String node, int diskGb, String name) {
        return vm(api, vdc, node, diskGb, name, null);
    }

    /** A VM (in vApp {@code vapp}, or one of its own) whose disk holds {@link #DISK_BYTES} of random content. */
    private JsonNode vm(Api api, String vdc, String node, int diskGb, String name, String vapp) {
        Api.Response created = api.post("/api/v1/vdcs/" + vdc + "/vms", "{\"name\":\"" + name + "\",\"cpus\":1,\"memoryMb\":512,\"diskGb\":"
                + diskGb + (vapp == null ? "" : ",\"vapp\":\"" + vapp + "\"") + "}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode vm = created.json();
        byte[] content = new byte[DISK_BYTES];
        new Random(name.hashCode()).nextBytes(content);
        try (RandomAccessFile file = new RandomAccessFile(disk(node, vm).toFile(), "rw")) {
            file.setLength(DISK_BYTES);
            file.write(content);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return vm;
    }

    private Path disk(String node, JsonNode vm) {
        return cluster.home(node, "vcc-node").resolve("disks").resolve(vm.path("id").asString()).resolve("disk-0.img");
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }

    private static String mac(JsonNode vm) {
        return vm.path("nics").get(0).path("mac").asString();
    }

    private Path staging(String node, String operation) {
        return cluster.home(node, "vcc-node").resolve("staging").resolve(operation);
    }

    private static String body(String sourceVdc, String vmId, String targetVdc, String mode) {
        return "{\"sourceVdcId\":\"" + sourceVdc + "\",\"vmId\":\"" + vmId + "\",\"targetVdcId\":\"" + targetVdc
                + "\",\"mode\":\"" + mode + "\"}";
    }

    private String start(String body) {
        Api.Response accepted = acme.post("/api/v1/transfers", body);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        return accepted.text("id");
    }

    private JsonNode operation(String id) {
        return acme.get("/api/v1/operations/" + id).json();
    }

    private JsonNode awaitEnd(String operation) {
        return acme.awaitOperationEnd(operation, Duration.ofSeconds(120), Duration.ofMillis(300));
    }

    private static JsonNode step(JsonNode operation, String name) {
        for (JsonNode step : operation.path("steps")) {
            if (step.path("name").asString().equals(name)) {
                return step;
            }
        }
        throw new AssertionError("no step " + name + " in " + operation);
    }

    private static boolean subscribed(List<String> lines) {
        return lines.stream().anyMatch(line -> line.startsWith(":"));
    }

    private static List<JsonNode> events(List<String> lines, String operation) {
        return lines.stream().filter(line -> line.startsWith("data:")).map(line -> JsonMapper.shared().readTree(line.substring(5)))
                .filter(event -> event.path("id").asString().equals(operation)).toList();
    }

    /** The operation's states in the order the stream told them, repeats folded. */
    private static List<String> states(List<String> data, String operation) {
        List<String> states = new ArrayList<>();
        for (JsonNode event : events(data, operation)) {
            String state = event.path("state").asString();
            if (states.isEmpty() || !states.get(states.size() - 1).equals(state)) {
                states.add(state);
            }
        }
        return states;
    }

    /** The bytes the stream reported during the operation's transfer step. */
    private static List<Long> progress(List<String> data, String operation) {
        return events(data, operation).stream().filter(event -> "transfer".equals(event.path("currentStep").asString(null)))
                .map(event -> event.path("bytesDone").asLong()).toList();
    }
}
