package io.vcc.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * The whole system as an installation runs it: a server, a private VCC node in cloud-a, a public
 * multi-tenant VCC node in cloud-b and an SP node in cloud-b, each in its own application context, port
 * and database. Nodes register themselves with one-time tokens over real HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VccSystemE2ETest {

    @TempDir
    static Path home;

    private VccCluster cluster;
    private String server;
    private Api admin;
    private int portA;
    private int portB;
    private String tokenA;
    private ConfigurableApplicationContext nodeA;

    private String acmeId;
    private String globexId;
    private String cloudA;
    private String cloudB;
    private Api acmeAdmin;
    private Api globexAdmin;
    private String acmeVdcB;
    private String acmeVmB;

    @BeforeAll
    void startSystem() {
        cluster = new VccCluster(home);
        int serverPort = VccCluster.freePort();
        server = "http://localhost:" + serverPort;
        cluster.server(serverPort);
        admin = Api.basic(server, "admin", VccCluster.ADMIN_PASSWORD);

        tokenA = admin.registrationToken("cloud-a");
        String tokenB = admin.registrationToken("cloud-b");
        String tokenSp = admin.registrationToken("cloud-b sp");
        portA = VccCluster.freePort();
        portB = VccCluster.freePort();
        nodeA = cluster.vccNode("cloud-a", portA, server, tokenA, "VCC", "PRIVATE", "VDC_MANAGER", false);
        cluster.vccNode("cloud-b", portB, server, tokenB, "MULTI_TENANT_VCC", "PUBLIC", "CLOUD_DIRECTOR", true);
        cluster.spNode("cloud-b-sp", VccCluster.freePort(), server, tokenSp, "cloud-b", portB);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(admin.get("/api/v1/nodes").json().findValuesAsString("status"))
                        .containsExactly("RUNNING", "RUNNING", "RUNNING"));
        cloudA = admin.cloudId("cloud-a");
        cloudB = admin.cloudId("cloud-b");
    }

    @AfterAll
    void stopSystem() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void nodesRegisterThemselvesWithWhatTheyAre() {
        JsonNode nodes = admin.get("/api/v1/nodes").json();
        assertThat(nodes.findValuesAsString("name")).containsExactly("cloud-a", "cloud-b", "cloud-b-sp");
        assertThat(nodes.findValuesAsString("kind")).containsExactly("VCC", "MULTI_TENANT_VCC", "SP");
        assertThat(nodes.findValuesAsString("visibility")).containsExactly("PRIVATE", "PUBLIC", "PUBLIC");
        assertThat(nodes.get(0).path("baseUrl").asString()).isEqualTo("http://localhost:" + portA);
        assertThat(nodes.get(2).path("services").toString()).contains("tenant-mapping");

        JsonNode clouds = admin.get("/api/v1/clouds").json();
        assertThat(clouds.findValuesAsString("name")).containsExactly("cloud-a", "cloud-b");
        assertThat(clouds.findValuesAsString("type")).containsExactly("VDC_MANAGER", "CLOUD_DIRECTOR");
        assertThat(clouds.get(1).path("multiTenant").asBoolean()).isTrue();

        List<String> states = admin.get("/api/v1/node-registrations").json().findValuesAsString("state");
        assertThat(states).containsOnly("USED").hasSize(3);
    }

    @Test
    @Order(2)
    void aRegistrationTokenWorksOnce() {
        String body = registrationBody(tokenA, "cloud-a-again");
        Api.Response reused = Api.anonymous(server).post("/api/v1/nodes/register", body);
        assertThat(reused.status()).as(reused.toString()).isEqualTo(409);
        assertThat(reused.problemType()).isEqualTo("urn:vcc:problem:registration-token-used");

        Api.Response unknown = Api.anonymous(server).post("/api/v1/nodes/register", registrationBody("vccreg_made-up", "cloud-x"));
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.problemType()).isEqualTo("urn:vcc:problem:registration-token-invalid");
        assertThat(unknown.contentType()).startsWith("application/problem+json");

        assertThat(admin.get("/api/v1/nodes").json().size()).isEqualTo(3);
        assertThat(admin.get("/api/v1/clouds").json().size()).isEqualTo(2);
    }

    @Test
    @Order(3)
    void aTenantProvisionsAVmAndFindsItThroughTheSpNodeMapping() {
        acmeId = admin.post("/api/v1/tenants", "{\"name\":\"acme\"}").json().path("id").asString();
        globexId = admin.post("/api/v1/tenants", "{\"name\":\"globex\"}").json().path("id").asString();
        assertThat(admin.post("/api/v1/tenants/" + acmeId + "/users",
                "{\"username\":\"acme-admin\",\"password\":\"acme-password-1\",\"role\":\"TENANT_ADMIN\"}").status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/tenants/" + globexId + "/users",
                "{\"username\":\"globex-admin\",\"password\":\"globex-password-1\",\"role\":\"TENANT_ADMIN\"}").status()).isEqualTo(201);
        acmeAdmin = Api.basic(server, "acme-admin", "acme-password-1");
        globexAdmin = Api.basic(server, "globex-admin", "globex-password-1");

        Api.Response vdc = admin.post("/api/v1/vdcs", vdcBody(acmeId, cloudB, "acme-b"));
        assertThat(vdc.status()).as(vdc.toString()).isEqualTo(201);
        acmeVdcB = vdc.text("id");
        assertThat(admin.post("/api/v1/vdcs", vdcBody(acmeId, cloudA, "acme-a")).status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/vdcs", vdcBody(globexId, cloudB, "globex-b")).status()).isEqualTo(201);

        Api.Response vm = acmeAdmin.post("/api/v1/vdcs/" + acmeVdcB + "/vms",
                "{\"name\":\"web-1\",\"cpus\":2,\"memoryMb\":2048,\"diskGb\":20}");
        assertThat(vm.status()).as(vm.toString()).isEqualTo(201);
        acmeVmB = vm.text("id");
        String mac = vm.json().path("nics").get(0).path("mac").asString();
        assertThat(mac).matches("00:50:56:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}");

        Api.Response mapping = acmeAdmin.get("/api/v1/tenants/" + acmeId + "/clouds/" + cloudB + "/vms");
        assertThat(mapping.status()).as(mapping.toString()).isEqualTo(200);
        JsonNode mapped = mapping.json();
        assertThat(mapped.size()).isEqualTo(1);
        assertThat(mapped.get(0).path("organization").asString()).isEqualTo("acme");
        assertThat(mapped.get(0).path("vdcName").asString()).isEqualTo("acme-b");
        assertThat(mapped.get(0).path("vm").path("id").asString()).isEqualTo(acmeVmB);
        assertThat(mapped.get(0).path("vm").path("nics").get(0).path("mac").asString()).isEqualTo(mac);

        assertThat(globexAdmin.get("/api/v1/tenants/" + globexId + "/clouds/" + cloudB + "/vms").json().size()).isZero();

        JsonNode overview = admin.get("/api/v1/clouds/" + cloudB + "/overview").json();
        assertThat(overview.path("organizations").findValuesAsString("organization")).containsExactly("acme", "globex");
        assertThat(overview.path("organizations").get(0).path("vms").asInt()).isEqualTo(1);
        assertThat(overview.path("capacity").path("cpuAllocated").asInt()).isEqualTo(16);
        assertThat(acmeAdmin.get("/api/v1/clouds/" + cloudB + "/overview").status()).isEqualTo(403);
    }

    @Test
    @Order(4)
    void anotherTenantGets404OnEveryOneOfTheFirstTenantsObjects() {
        String vdc = "/api/v1/vdcs/" + acmeVdcB;
        String vm = vdc + "/vms/" + acmeVmB;
        List<Api.Response> answers = List.of(
                globexAdmin.get("/api/v1/tenants/" + acmeId),
                globexAdmin.get("/api/v1/tenants/" + acmeId + "/users"),
                globexAdmin.post("/api/v1/tenants/" + acmeId + "/users", "{\"username\":\"intruder\",\"password\":\"intruder-password\",\"role\":\"TENANT_USER\"}"),
                globexAdmin.get("/api/v1/tenants/" + acmeId + "/clouds/" + cloudB + "/vms"),
                globexAdmin.get(vdc),
                globexAdmin.get(vdc + "/vms"),
                globexAdmin.get(vdc + "/vapps"),
                globexAdmin.get(vdc + "/networks"),
                globexAdmin.post(vdc + "/vms", "{\"name\":\"sneaky\",\"cpus\":1,\"memoryMb\":512,\"diskGb\":1}"),
                globexAdmin.get(vm),
                globexAdmin.post(vm + "/power", "{\"state\":\"POWERED_ON\"}"),
                globexAdmin.delete(vm));
        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.status()).as(answer.toString()).isEqualTo(404);
            assertThat(answer.problemType()).isEqualTo("urn:vcc:problem:not-found");
        });

        // An acme VM id under globex's own VDC is not found either: the VM must belong to the VDC named.
        String globexVdc = globexAdmin.get("/api/v1/vdcs").json().get(0).path("id").asString();
        assertThat(globexAdmin.get("/api/v1/vdcs/" + globexVdc + "/vms/" + acmeVmB).status()).isEqualTo(404);
        assertThat(globexAdmin.delete("/api/v1/vdcs/" + globexVdc + "/vms/" + acmeVmB).status()).isEqualTo(404);

        // The same with an API token of the other tenant instead of its password.
        Api globexToken = Api.bearer(server, globexAdmin.post("/api/v1/tokens", "{\"name\":\"script\"}").text("token"));
        assertThat(globexToken.get(vm).status()).isEqualTo(404);
        assertThat(globexToken.get(vdc + "/vms").status()).isEqualTo(404);
        assertThat(globexToken.delete(vm).status()).isEqualTo(404);

        assertThat(globexAdmin.get("/api/v1/vdcs").json().findValuesAsString("name")).containsExactly("globex-b");
        assertThat(globexAdmin.get("/api/v1/tenants").json().findValuesAsString("name")).containsExactly("globex");
        JsonNode stillThere = acmeAdmin.get(vm).json();
        assertThat(stillThere.path("state").asString()).isEqualTo("POWERED_OFF");
        assertThat(acmeAdmin.get("/api/v1/tenants/" + acmeId + "/users").json().findValuesAsString("username"))
                .containsExactly("acme-admin");
    }

    @Test
    @Order(5)
    void provisioningBeyondTheQuotaIsRefusedAndChangesNothing() {
        Api.Response tooBig = acmeAdmin.post("/api/v1/vdcs/" + acmeVdcB + "/vms",
                "{\"name\":\"huge\",\"cpus\":16,\"memoryMb\":2048,\"diskGb\":1}");
        assertThat(tooBig.status()).isEqualTo(409);
        assertThat(tooBig.problemType()).isEqualTo("urn:vcc:problem:quota-exceeded");
        assertThat(acmeAdmin.get("/api/v1/vdcs/" + acmeVdcB + "/vms").json().findValuesAsString("name")).containsExactly("web-1");
    }

    @Test
    @Order(6)
    void aStoppedNodeTurnsNotRespondingAndRunningAgainAfterRestartWithoutAToken() {
        String nodeId = admin.get("/api/v1/nodes").json().get(0).path("id").asString();
        cluster.stop(nodeA);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(admin.get("/api/v1/nodes/" + nodeId).text("status")).isEqualTo("NOT_RESPONDING"));
        Api.Response unavailable = admin.get("/api/v1/vdcs?cloudId=" + cloudA);
        assertThat(unavailable.status()).isEqualTo(200);
        String vdcA = unavailable.json().get(0).path("id").asString();
        Api.Response vms = admin.get("/api/v1/vdcs/" + vdcA + "/vms");
        assertThat(vms.status()).isEqualTo(503);
        assertThat(vms.problemType()).isEqualTo("urn:vcc:problem:node-unavailable");

        nodeA = cluster.vccNode("cloud-a", portA, server, null, "VCC", "PRIVATE", "VDC_MANAGER", false);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(admin.get("/api/v1/nodes/" + nodeId).text("status")).isEqualTo("RUNNING"));
        assertThat(admin.get("/api/v1/vdcs/" + vdcA + "/vms").status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/nodes").json().size()).isEqualTo(3);
    }

    private static String vdcBody(String tenantId, String cloudId, String name) {
        return "{\"tenantId\":\"" + tenantId + "\",\"cloudId\":\"" + cloudId + "\",\"name\":\"" + name
                + "\",\"cpuQuota\":8,\"memoryMbQuota\":16384,\"storageGbQuota\":200}";
    }

    private static String registrationBody(String token, String name) {
        return "{\"registrationToken\":\"" + token + "\",\"name\":\"" + name + "\",\"kind\":\"VCC\",\"visibility\":\"PUBLIC\","
                + "\"baseUrl\":\"http://localhost:1\",\"cloudName\":\"cloud-x\",\"cloudType\":\"THIRD_PARTY\","
                + "\"services\":[],\"version\":\"1\"}";
    }
}
