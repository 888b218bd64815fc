package io.vcc.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vcc.api.node.SegmentPort;
import io.vcc.node.adapter.DatapathAdapter;
import io.vcc.node.adapter.TenantSegments;
import io.vcc.node.adapter.sim.SimFaults;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
 * Issue 14 end to end: a server and two VCC nodes with their datapaths on, over real HTTP. Tenant acme's layer-2
 * network spans cloud A with the VTEPs node A reports (nobody types one); a VDC network on it holds a powered-on
 * VM. Refusals change nothing. The VM is stretched to cloud B: the network is extended there (both datapaths
 * programmed with the segment), the target VDC gets a routed network on the segment with the source's edge rules,
 * and the VM runs in cloud B with the same MAC and IP, its source gone. The reverse brings it back the same way and
 * takes the network out of cloud B, where no VM of acme is left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StretchDeployE2ETest {

    private static final String VTEP_A = "127.0.0.1:47891";
    private static final String VTEP_B = "127.0.0.1:47892";
    private static final String RULES = "[{\"kind\":\"DNAT\",\"match\":\"tcp 203.0.113.5:443\",\"action\":\"dnat 192.168.10.10:443\"},"
            + "{\"kind\":\"FIREWALL\",\"match\":\"tcp any:443\",\"action\":\"allow\"}]";

    @TempDir
    static Path home;

    private VccCluster cluster;
    private Api admin;
    private ConfigurableApplicationContext nodeA;
    private ConfigurableApplicationContext nodeB;
    private String cloudA;
    private String cloudB;
    private String vdcA;
    private String vdcB;
    private String networkId;
    private String vmId;
    private String mac;
    private String ip;
    private String stretchId;
    private String backId;

    @BeforeAll
    void startSystem() {
        cluster = new VccCluster(home);
        int serverPort = VccCluster.freePort();
        String server = "http://localhost:" + serverPort;
        cluster.server(serverPort, "--vcc.transfers.poll-interval=200ms", "--vcc.stretch.answer-wait=3s");
        admin = Api.basic(server, "admin", VccCluster.ADMIN_PASSWORD);
        nodeA = node("st-a", server, VTEP_A);
        nodeB = node("st-b", server, VTEP_B);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(admin.get("/api/v1/nodes").json().findValuesAsString("status")).containsExactly("RUNNING", "RUNNING"));
        cloudA = admin.cloudId("st-a");
        cloudB = admin.cloudId("st-b");
        String acme = admin.post("/api/v1/tenants", "{\"name\":\"acme\"}").created().path("id").asString();
        vdcA = admin.post("/api/v1/vdcs", vdc(acme, cloudA, "acme-a")).created().path("id").asString();
        vdcB = admin.post("/api/v1/vdcs", vdc(acme, cloudB, "acme-b")).created().path("id").asString();
        JsonNode network = admin.post("/api/v1/networks", "{\"tenantId\":\"" + acme + "\",\"name\":\"web\",\"vlanId\":10,"
                + "\"clouds\":[{\"cloudId\":\"" + cloudA + "\"}]}").created();
        networkId = network.path("id").asString();
        assertThat(network.path("clouds").get(0).path("localVteps").get(0).asString()).as("learned from the node").isEqualTo(VTEP_A);
        Api.Response backed = admin.send("PUT", "/api/v1/vdcs/" + vdcA + "/segment-networks/web", "{\"networkId\":\"" + networkId
                + "\",\"cidr\":\"192.168.10.0/24\",\"gateway\":\"192.168.10.1\",\"rules\":" + RULES + "}", "application/json");
        assertThat(backed.status()).as(backed.toString()).isEqualTo(200);
        assertThat(backed.json().path("vni").asInt()).isEqualTo(network.path("clouds").get(0).path("vni").asInt());
    }

    @AfterAll
    void stopSystem() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void aVmOnTheVdcNetworkIsOnTheTenantSegment() {
        JsonNode vm = admin.post("/api/v1/vdcs/" + vdcA + "/vms",
                "{\"name\":\"web01\",\"cpus\":1,\"memoryMb\":512,\"diskGb\":1,\"network\":\"web\"}").created();
        vmId = vm.path("id").asString();
        mac = vm.path("nics").get(0).path("mac").asString();
        ip = vm.path("nics").get(0).path("ip").asString();
        assertThat(ip).startsWith("192.168.10.");
        assertThat(admin.post("/api/v1/vdcs/" + vdcA + "/vms/" + vmId + "/power", "{\"state\":\"POWERED_ON\"}").status()).isEqualTo(200);
        int vni = nodeA.getBean(DatapathAdapter.class).state().segments().get(0).vni();
        assertThat(nodeA.getBean(TenantSegments.class).ports())
                .containsExactly(new SegmentPort(vni, vmId, vm.path("vdcId").asString(), 0, mac, ip, true));
    }

    @Test
    @Order(2)
    void whatCannotBeStretchedIsRefusedBeforeAnythingChanges() {
        JsonNode other = admin.post("/api/v1/vdcs/" + vdcA + "/vms", "{\"name\":\"plain\",\"cpus\":1,\"memoryMb\":512,\"diskGb\":1}").created();
        Api.Response offSegment = admin.post("/api/v1/stretch-deploys", body(vdcA, other.path("id").asString(), vdcB, false));
        assertThat(offSegment.status()).as(offSegment.toString()).isEqualTo(409);
        assertThat(offSegment.problemType()).isEqualTo("urn:vcc:problem:stretch-refused");

        Api.Response sameCloud = admin.post("/api/v1/stretch-deploys", body(vdcA, vmId, vdcA, false));
        assertThat(sameCloud.status()).as(sameCloud.toString()).isEqualTo(400);
        assertThat(sameCloud.problemType()).isEqualTo("urn:vcc:problem:validation");

        Api.Response both = admin.post("/api/v1/stretch-deploys", "{\"sourceVdcId\":\"" + vdcA + "\",\"targetVdcId\":\"" + vdcB + "\"}");
        assertThat(both.status()).as(both.toString()).isEqualTo(400);

        assertThat(admin.get("/api/v1/networks/" + networkId).json().path("clouds").size()).isEqualTo(1);
        assertThat(admin.get("/api/v1/vdcs/" + vdcB + "/vms").json().size()).isZero();
        assertThat(admin.get("/api/v1/operations").json().findValuesAsString("type")).doesNotContain("stretch-deploy");
        assertThat(admin.delete("/api/v1/vdcs/" + vdcA + "/vms/" + other.path("id").asString()).status()).isEqualTo(204);
    }

    @Test
    @Order(3)
    void theVmRunsInCloudBWithTheSameMacAndIpOnTheStretchedNetwork() {
        Api.Response accepted = admin.post("/api/v1/stretch-deploys", body(vdcA, vmId, vdcB, false));
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        stretchId = accepted.text("id");
        JsonNode done = awaitEnd(stretchId);
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("outputs").path("runningAt").asString()).isEqualTo("target");

        JsonNode moved = admin.get("/api/v1/vdcs/" + vdcB + "/vms/" + done.path("outputs").path("targetVmId").asString()).json();
        assertThat(moved.path("state").asString()).isEqualTo("POWERED_ON");
        assertThat(moved.path("nics").get(0).path("mac").asString()).isEqualTo(mac);
        assertThat(moved.path("nics").get(0).path("ip").asString()).isEqualTo(ip);
        assertThat(admin.get("/api/v1/vdcs/" + vdcA + "/vms/" + vmId).status()).isEqualTo(404);

        JsonNode network = admin.get("/api/v1/networks/" + networkId).json();
        assertThat(network.path("clouds").findValuesAsString("cloudId")).containsExactlyInAnyOrder(cloudA, cloudB);
        assertThat(span(network, cloudB).path("localVteps").get(0).asString()).as("learned from node B").isEqualTo(VTEP_B);
        int vniB = span(network, cloudB).path("vni").asInt();
        assertThat(nodeB.getBean(DatapathAdapter.class).state().segment(vniB)).isNotNull();
        assertThat(nodeA.getBean(DatapathAdapter.class).state().segment(span(network, cloudA).path("vni").asInt()).peers()).hasSize(1);
        assertThat(nodeB.getBean(TenantSegments.class).ports()).extracting(SegmentPort::vni, SegmentPort::mac, SegmentPort::ip, SegmentPort::up)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(vniB, mac, ip, true));

        JsonNode targetNetwork = admin.get("/api/v1/vdcs/" + vdcB + "/segment-networks").json();
        assertThat(targetNetwork).hasSize(1);
        assertThat(targetNetwork.get(0).path("networkId").asString()).isEqualTo(networkId);
        assertThat(targetNetwork.get(0).path("rules").toString()).contains("dnat 192.168.10.10:443", "allow");
    }

    @Test
    @Order(4)
    void theReverseBringsItBackAndTakesTheNetworkOutOfCloudB() {
        // Asked twice at once (a double click, two consoles): one reverse runs, the other is refused.
        CompletableFuture<Api.Response> first = CompletableFuture.supplyAsync(() -> admin.post("/api/v1/stretch-deploys/" + stretchId + "/reverse", null));
        Api.Response second = admin.post("/api/v1/stretch-deploys/" + stretchId + "/reverse", null);
        List<Api.Response> answers = List.of(first.join(), second);
        assertThat(answers).extracting(Api.Response::status).as(answers.toString()).containsExactlyInAnyOrder(202, 409);
        Api.Response accepted = answers.stream().filter(answer -> answer.status() == 202).findFirst().orElseThrow();
        JsonNode done = awaitEnd(accepted.text("id"));
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("outputs").path("retracted").asBoolean()).isTrue();

        backId = done.path("outputs").path("targetVmId").asString();
        JsonNode back = admin.get("/api/v1/vdcs/" + vdcA + "/vms/" + backId).json();
        assertThat(back.path("state").asString()).isEqualTo("POWERED_ON");
        assertThat(back.path("nics").get(0).path("mac").asString()).isEqualTo(mac);
        assertThat(back.path("nics").get(0).path("ip").asString()).isEqualTo(ip);
        assertThat(admin.get("/api/v1/vdcs/" + vdcB + "/vms").json().size()).isZero();
        assertThat(admin.get("/api/v1/networks/" + networkId).json().path("clouds").findValuesAsString("cloudId")).containsExactly(cloudA);
        assertThat(nodeB.getBean(DatapathAdapter.class).state().segments()).isEmpty();
        assertThat(admin.get("/api/v1/vdcs/" + vdcB + "/segment-networks").json().size()).isZero();

        Api.Response again = admin.post("/api/v1/stretch-deploys/" + stretchId + "/reverse", null);
        assertThat(again.status()).as(again.toString()).isEqualTo(409);
        assertThat(again.problemType()).isEqualTo("urn:vcc:problem:invalid-state");
    }

    @Test
    @Order(5)
    void aTargetThatNeverAnswersFailsTheStretchAndTheVmRunsAtTheSourceAgain() {
        // Powered on at the target but silent on its IP, as a guest that does not come up.
        nodeB.getBean(SimFaults.class).failNext("segments.answer", 1_000_000);
        try {
            Api.Response accepted = admin.post("/api/v1/stretch-deploys", body(vdcA, backId, vdcB, false));
            assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
            JsonNode done = awaitEnd(accepted.text("id"));
            assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("FAILED");
            assertThat(done.path("error").asString()).contains("does not answer at the target on " + ip, "runs at the source");
            assertThat(done.path("outputs").path("runningAt").asString()).isEqualTo("source");
        } finally {
            nodeB.getBean(SimFaults.class).clear();
        }
        JsonNode source = admin.get("/api/v1/vdcs/" + vdcA + "/vms/" + backId).json();
        assertThat(source.path("state").asString()).isEqualTo("POWERED_ON");
        assertThat(source.path("nics").get(0).path("mac").asString()).isEqualTo(mac);
        assertThat(source.path("nics").get(0).path("ip").asString()).isEqualTo(ip);
        assertThat(admin.get("/api/v1/vdcs/" + vdcB + "/vms").json().size()).isZero();
        assertThat(nodeB.getBean(TenantSegments.class).ports()).isEmpty();
        assertThat(admin.get("/api/v1/networks/" + networkId).json().path("clouds").findValuesAsString("cloudId")).containsExactly(cloudA);
    }

    @Test
    @Order(6)
    void aKeptSourceStaysPoweredOffUntilTheStretchIsCommitted() {
        Api.Response accepted = admin.post("/api/v1/stretch-deploys", body(vdcA, backId, vdcB, true));
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        String kept = accepted.text("id");
        JsonNode done = awaitEnd(kept);
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        JsonNode source = admin.get("/api/v1/vdcs/" + vdcA + "/vms/" + backId).json();
        assertThat(source.path("state").asString()).as("kept, powered off").isEqualTo("POWERED_OFF");
        JsonNode target = admin.get("/api/v1/vdcs/" + vdcB + "/vms/" + done.path("outputs").path("targetVmId").asString()).json();
        assertThat(target.path("state").asString()).isEqualTo("POWERED_ON");
        assertThat(target.path("nics").get(0).path("ip").asString()).isEqualTo(ip);

        assertThat(admin.post("/api/v1/stretch-deploys/" + kept + "/commit", null).status()).isEqualTo(204);
        assertThat(admin.get("/api/v1/vdcs/" + vdcA + "/vms/" + backId).status()).as("committed: the source is gone").isEqualTo(404);
        Api.Response again = admin.post("/api/v1/stretch-deploys/" + kept + "/commit", null);
        assertThat(again.status()).as(again.toString()).isEqualTo(409);
        assertThat(again.problemType()).isEqualTo("urn:vcc:problem:invalid-state");
        Api.Response plain = admin.post("/api/v1/stretch-deploys/" + stretchId + "/commit", null);
        assertThat(plain.status()).as("a stretch that kept no source has nothing to commit").isEqualTo(409);
    }

    @Test
    @Order(7)
    void aVappStretchesWithEachVmKeepingItsMacIpAndPowerState() {
        JsonNode front = admin.post("/api/v1/vdcs/" + vdcA + "/vms",
                "{\"name\":\"front\",\"cpus\":1,\"memoryMb\":512,\"diskGb\":1,\"network\":\"web\",\"vapp\":\"shop\"}").created();
        JsonNode back = admin.post("/api/v1/vdcs/" + vdcA + "/vms",
                "{\"name\":\"back\",\"cpus\":1,\"memoryMb\":512,\"diskGb\":1,\"network\":\"web\",\"vapp\":\"shop\"}").created();
        assertThat(admin.post("/api/v1/vdcs/" + vdcA + "/vms/" + front.path("id").asString() + "/power", "{\"state\":\"POWERED_ON\"}")
                .status()).isEqualTo(200);
        String vappId = null;
        for (JsonNode vapp : admin.get("/api/v1/vdcs/" + vdcA + "/vapps").json()) {
            if (vapp.path("name").asString().equals("shop")) {
                vappId = vapp.path("id").asString();
            }
        }
        assertThat(vappId).isNotNull();

        Api.Response accepted = admin.post("/api/v1/stretch-deploys", "{\"sourceVdcId\":\"" + vdcA + "\",\"vappId\":\"" + vappId
                + "\",\"targetVdcId\":\"" + vdcB + "\"}");
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        JsonNode done = awaitEnd(accepted.text("id"));
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        String targetVapp = done.path("outputs").path("targetVappId").asString();
        java.util.Map<String, JsonNode> arrived = new java.util.HashMap<>();
        for (JsonNode vapp : admin.get("/api/v1/vdcs/" + vdcB + "/vapps").json()) {
            if (vapp.path("id").asString().equals(targetVapp)) {
                for (JsonNode vmId : vapp.path("vmIds")) {
                    JsonNode vm = admin.get("/api/v1/vdcs/" + vdcB + "/vms/" + vmId.asString()).json();
                    arrived.put(vm.path("name").asString(), vm);
                }
            }
        }
        assertThat(arrived).containsOnlyKeys("front", "back");
        for (JsonNode before : java.util.List.of(front, back)) {
            JsonNode after = arrived.get(before.path("name").asString());
            assertThat(after.path("nics").get(0).path("mac").asString()).isEqualTo(before.path("nics").get(0).path("mac").asString());
            assertThat(after.path("nics").get(0).path("ip").asString()).isEqualTo(before.path("nics").get(0).path("ip").asString());
            assertThat(admin.get("/api/v1/vdcs/" + vdcA + "/vms/" + before.path("id").asString()).status()).isEqualTo(404);
        }
        assertThat(arrived.get("front").path("state").asString()).isEqualTo("POWERED_ON");
        assertThat(arrived.get("back").path("state").asString()).as("it was off at the source").isEqualTo("POWERED_OFF");
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private ConfigurableApplicationContext node(String name, String server, String vtep) {
        int port = VccCluster.freePort();
        String token = admin.post("/api/v1/node-registrations", "{\"note\":\"" + name + "\"}").created().path("token").asString();
        return cluster.vccNode(name, port, "http://localhost:" + port, server, token, "PUBLIC",
                "--vcc.datapath.enabled=true", "--vcc.datapath.local-vtep=127.0.0.1:0", "--vcc.datapath.tunnel=127.0.0.1:0",
                "--vcc.datapath.event-loops=1", "--vcc.sim.segments.vteps=" + vtep);
    }

    private static String vdc(String tenant, String cloud, String name) {
        return "{\"tenantId\":\"" + tenant + "\",\"cloudId\":\"" + cloud + "\",\"name\":\"" + name
                + "\",\"cpuQuota\":8,\"memoryMbQuota\":8192,\"storageGbQuota\":20}";
    }

    private static String body(String source, String vm, String target, boolean keepSource) {
        return "{\"sourceVdcId\":\"" + source + "\",\"vmId\":\"" + vm + "\",\"targetVdcId\":\"" + target + "\",\"keepSource\":" + keepSource + "}";
    }

    private JsonNode awaitEnd(String operation) {
        return admin.awaitOperationEnd(operation, Duration.ofSeconds(120), Duration.ofMillis(200));
    }

    private static JsonNode span(JsonNode network, String cloudId) {
        for (JsonNode span : network.path("clouds")) {
            if (span.path("cloudId").asString().equals(cloudId)) {
                return span;
            }
        }
        throw new AssertionError("no span in cloud " + cloudId);
    }
}
