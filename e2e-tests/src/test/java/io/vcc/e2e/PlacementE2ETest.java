package io.vcc.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Placement through the whole system, a real server and a real node over HTTP: the node's simulated cloud is
 * one zone with a single VLAN ID and two hosts of 2 CPUs. A VM no host has room for, and an account's first VM
 * when the zone's VLANs are all held, are refused with their own problem types, relayed from the node to the
 * API client, and leave the cloud as it was; admins see the hosts, the VLANs and the usage, tenants do not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlacementE2ETest {

    @TempDir
    static Path home;

    private VccCluster cluster;
    private Api admin;
    private String cloud;

    @BeforeAll
    void start() {
        cluster = new VccCluster(home);
        int serverPort = VccCluster.freePort();
        String serverUrl = "http://localhost:" + serverPort;
        cluster.server(serverPort);
        admin = Api.basic(serverUrl, "admin", VccCluster.ADMIN_PASSWORD);
        String token = admin.post("/api/v1/node-registrations", "{\"note\":\"small\"}").text("token");
        int nodePort = VccCluster.freePort();
        cluster.vccNode("small", nodePort, "http://localhost:" + nodePort, serverUrl, token, "PRIVATE",
                "--vcc.sim.topology.zones[0].name=zone-a", "--vcc.sim.topology.zones[0].vlans=200-200",
                "--vcc.sim.topology.zones[0].pods[0].name=pod-a", "--vcc.sim.topology.zones[0].pods[0].hosts=2",
                "--vcc.sim.topology.zones[0].pods[0].cpus=2", "--vcc.sim.topology.zones[0].pods[0].memory-mb=4096",
                "--vcc.sim.topology.zones[0].pods[0].storage-gb=50");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(admin.get("/api/v1/nodes").json().findValuesAsString("status")).containsExactly("RUNNING"));
        for (JsonNode each : admin.get("/api/v1/clouds").json()) {
            if (each.path("name").asString().equals("small")) {
                cloud = each.path("id").asString();
            }
        }
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aVmThatCannotBePlacedIsRefusedWithItsOwnProblemAndChangesNothing() {
        Api.Response hosts = admin.get("/api/v1/clouds/" + cloud + "/hosts");
        assertThat(hosts.status()).as(hosts.toString()).isEqualTo(200);
        assertThat(hosts.json().findValuesAsString("name")).containsExactly("host-1", "host-2");
        assertThat(hosts.json().findValuesAsString("pod")).containsOnly("pod-a");

        String acmeId = admin.createTenantWithAdmin("acme");
        String betaId = admin.createTenantWithAdmin("beta");
        Api acme = admin.asTenantAdmin("acme");
        Api beta = admin.asTenantAdmin("beta");
        String acmeVdc = admin.createVdc(acmeId, "small", "acme-vdc", 100);
        String betaVdc = admin.createVdc(betaId, "small", "beta-vdc", 100);

        Api.Response web = acme.post("/api/v1/vdcs/" + acmeVdc + "/vms", "{\"name\":\"web\",\"cpus\":2,\"memoryMb\":1024,\"diskGb\":1}");
        assertThat(web.status()).as(web.toString()).isEqualTo(201);
        String hostsBefore = admin.get("/api/v1/clouds/" + cloud + "/hosts").body();

        // Within the VDC's quota (64 CPUs), beyond every host (2 CPUs).
        Api.Response huge = acme.post("/api/v1/vdcs/" + acmeVdc + "/vms", "{\"name\":\"huge\",\"cpus\":3,\"memoryMb\":1024,\"diskGb\":1}");
        assertThat(huge.status()).as(huge.toString()).isEqualTo(409);
        assertThat(huge.contentType()).startsWith("application/problem+json");
        assertThat(huge.problemType()).isEqualTo("urn:vcc:problem:placement-failed");
        assertThat(huge.json().path("detail").asString()).contains("Not possible to start the VM huge", "zone-a");
        assertThat(acme.get("/api/v1/vdcs/" + acmeVdc + "/vms").json().findValuesAsString("name")).containsExactly("web");
        assertThat(admin.get("/api/v1/clouds/" + cloud + "/hosts").body()).isEqualTo(hostsBefore);

        // The zone's only VLAN ID is acme's: beta's first VM cannot start, until acme's last VM is gone.
        Api.Response zones = admin.get("/api/v1/clouds/" + cloud + "/zones");
        assertThat(zones.json().get(0).path("vlans").findValuesAsString("organization")).containsExactly("acme");
        Api.Response refused = beta.post("/api/v1/vdcs/" + betaVdc + "/vms", "{\"name\":\"app\",\"cpus\":1,\"memoryMb\":512,\"diskGb\":1}");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.problemType()).isEqualTo("urn:vcc:problem:vlan-range-exhausted");
        assertThat(beta.get("/api/v1/vdcs/" + betaVdc + "/vms").json().size()).isZero();

        // Admins only: a tenant sees neither hosts, nor other accounts' VLANs, nor usage.
        assertThat(acme.get("/api/v1/clouds/" + cloud + "/hosts").status()).isEqualTo(403);
        assertThat(acme.get("/api/v1/clouds/" + cloud + "/zones").status()).isEqualTo(403);
        assertThat(beta.get("/api/v1/clouds/" + cloud + "/usage").status()).isEqualTo(403);
        JsonNode usage = admin.get("/api/v1/clouds/" + cloud + "/usage").json();
        assertThat(usage.findValuesAsString("organization")).containsExactly("acme");
        assertThat(usage.get(0).path("vms").asInt()).isEqualTo(1);
        assertThat(usage.get(0).path("storageGb").asLong()).isEqualTo(1);

        assertThat(acme.delete("/api/v1/vdcs/" + acmeVdc + "/vms/" + web.text("id")).status()).isEqualTo(204);
        assertThat(admin.get("/api/v1/clouds/" + cloud + "/zones").json().get(0).path("vlans").size()).isZero();
        Api.Response app = beta.post("/api/v1/vdcs/" + betaVdc + "/vms", "{\"name\":\"app\",\"cpus\":1,\"memoryMb\":512,\"diskGb\":1}");
        assertThat(app.status()).as(app.toString()).isEqualTo(201);
        assertThat(admin.get("/api/v1/clouds/" + cloud + "/zones").json().get(0).path("vlans").get(0).path("vlan").asInt()).isEqualTo(200);
    }
}
