package io.vcc.server.network;

import static io.vcc.server.ApiCalls.assertProblem;
import static io.vcc.server.ApiCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.vcc.server.ApiCalls;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.JsonNode;

/**
 * Tag allocation on a real (embedded) PostgreSQL, with the tag spaces shrunk to three VLAN IDs so that
 * exhaustion is reachable. The nodes are replaced by a mock programmer: what reaches the nodes is the e2e
 * test's subject; here it is what the server allocates, to whom, and what it frees.
 */
@SpringBootTest(properties = {"spring.config.name=vcc-server", "vcc.service-name=vcc-server", "vcc.networks.max-tag=3"})
@ActiveProfiles("test")
@AutoConfigureMockMvc
class NetworkApiTest {

    private static final RequestPostProcessor ADMIN = httpBasic("admin", "test-admin-password");

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @MockitoBean
    NodeProgrammer programmer;

    private String acme;
    private String globex;
    private String cloudA;
    private String cloudB;

    @BeforeEach
    void tenantsAndClouds() throws Exception {
        acme = tenantWithUsers("acme");
        globex = tenantWithUsers("globex");
        cloudA = registeredNodeCloud();
        cloudB = registeredNodeCloud();
    }

    @AfterEach
    void forgetNetworks() {
        jdbc.sql("delete from network_segment").update();
        jdbc.sql("delete from tenant_network").update();
        jdbc.sql("delete from datacenter_tag").update();
        jdbc.sql("delete from tunnel_pair").update();
        reset(programmer);
    }

    @Test
    void theSameVlanOfTwoTenantsGetsDifferentHostAndCustomerTagsAndEachTenantSeesOnlyItsOwn() throws Exception {
        JsonNode acmeNet = json(call(post("/api/v1/networks"), tenantAdmin(acme), network(acme, "web", 100, cloudA, cloudB), 201));
        JsonNode globexNet = json(call(post("/api/v1/networks"), ADMIN, network(globex, "web", 100, cloudA, cloudB), 201));

        assertThat(acmeNet.path("vlanId").asInt()).isEqualTo(globexNet.path("vlanId").asInt()).isEqualTo(100);
        assertThat(acmeNet.path("hostTag").asInt()).isNotEqualTo(globexNet.path("hostTag").asInt());
        assertThat(acmeNet.path("customerTag").asInt()).isNotEqualTo(globexNet.path("customerTag").asInt());
        // One datacenter tag per cloud, shared by every network there; VNIs unique per cloud.
        assertThat(span(acmeNet, cloudA).path("datacenterTag").asInt()).isEqualTo(span(globexNet, cloudA).path("datacenterTag").asInt())
                .isNotEqualTo(span(acmeNet, cloudB).path("datacenterTag").asInt());
        assertThat(span(acmeNet, cloudA).path("vni").asInt()).isNotEqualTo(span(globexNet, cloudA).path("vni").asInt());
        assertThat(span(acmeNet, cloudB).path("localVteps").get(0).asString()).isEqualTo("127.0.0.1:4789");
        verify(programmer, times(2)).program(any(), anyString());

        String acmeId = acmeNet.path("id").asString();
        String globexId = globexNet.path("id").asString();
        assertProblem(call(get("/api/v1/networks/" + globexId), tenantAdmin(acme), null, 404), "not-found");
        assertProblem(call(get("/api/v1/networks/" + globexId + "/datapath"), tenantUser(acme), null, 404), "not-found");
        assertProblem(call(delete("/api/v1/networks/" + globexId), tenantAdmin(acme), null, 404), "not-found");
        assertThat(json(call(get("/api/v1/networks"), tenantUser(acme), null, 200)).findValuesAsString("id")).containsExactly(acmeId);
        assertThat(json(call(get("/api/v1/networks?tenantId=" + globex), tenantUser(acme), null, 200)).size()).isZero();
        assertThat(json(call(get("/api/v1/networks"), ADMIN, null, 200)).findValuesAsString("id")).contains(acmeId, globexId);
        assertThat(json(call(get("/api/v1/networks/" + acmeId), tenantUser(acme), null, 200)).path("name").asString()).isEqualTo("web");

        // Only admins and tenant admins create and delete; a tenant admin only for its own tenant.
        assertProblem(call(post("/api/v1/networks"), tenantUser(acme), network(acme, "db", 200, cloudA), 403), "forbidden");
        assertProblem(call(post("/api/v1/networks"), tenantAdmin(acme), network(globex, "db", 200, cloudA), 404), "not-found");
        assertProblem(call(delete("/api/v1/networks/" + acmeId), tenantUser(acme), null, 403), "forbidden");
        assertProblem(call(post("/api/v1/networks/" + acmeId + "/tunnel-keys/rotation"), tenantAdmin(acme), null, 403), "forbidden");
        // A tenant's VLAN is one network.
        assertProblem(call(post("/api/v1/networks"), tenantAdmin(acme), network(acme, "web2", 100, cloudA), 409), "duplicate");
        assertThat(count("tenant_network")).isEqualTo(2);
    }

    @Test
    void concurrentCreatesGetDistinctTagsAndAFullSpaceIsAClearConflictUntilANetworkIsDeleted() throws Exception {
        // Three tenants' networks at once, on the same VLAN, into a space of three tags per level.
        String initech = tenantWithUsers("initech");
        List<String> tenants = List.of(acme, globex, initech);
        CyclicBarrier start = new CyclicBarrier(tenants.size());
        ExecutorService pool = Executors.newFixedThreadPool(tenants.size());
        List<Future<JsonNode>> created = new ArrayList<>();
        for (String tenant : tenants) {
            Callable<JsonNode> create = () -> {
                start.await(10, TimeUnit.SECONDS);
                return json(call(post("/api/v1/networks"), ADMIN, network(tenant, "lan", 7, cloudA, cloudB), 201));
            };
            created.add(pool.submit(create));
        }
        Set<Integer> hostTags = new HashSet<>();
        Set<Integer> customerTags = new HashSet<>();
        Set<Integer> vnisInA = new HashSet<>();
        List<JsonNode> networks = new ArrayList<>();
        for (Future<JsonNode> future : created) {
            JsonNode network = future.get(60, TimeUnit.SECONDS);
            networks.add(network);
            hostTags.add(network.path("hostTag").asInt());
            customerTags.add(network.path("customerTag").asInt());
            vnisInA.add(span(network, cloudA).path("vni").asInt());
        }
        pool.shutdown();
        assertThat(hostTags).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(customerTags).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(vnisInA).hasSize(3);

        MvcResult full = call(post("/api/v1/networks"), ADMIN, network(acme, "more", 8, cloudA), 409);
        JsonNode problem = assertProblem(full, "tag-space-exhausted");
        assertThat(problem.path("detail").asString()).contains("host tag", "1..3", "not possible");
        assertThat(count("tenant_network")).isEqualTo(3);

        JsonNode released = networks.get(1);
        call(delete("/api/v1/networks/" + released.path("id").asString()), ADMIN, null, 204);
        verify(programmer, times(2)).removeSegment(any()); // both clouds of the deleted network
        JsonNode reused = json(call(post("/api/v1/networks"), ADMIN, network(acme, "more", 8, cloudA), 201));
        assertThat(reused.path("hostTag").asInt()).isEqualTo(released.path("hostTag").asInt());
        assertThat(reused.path("customerTag").asInt()).isEqualTo(released.path("customerTag").asInt());

        // The last network of a cloud gives its datacenter tag back too.
        for (JsonNode network : json(call(get("/api/v1/networks"), ADMIN, null, 200))) {
            call(delete("/api/v1/networks/" + network.path("id").asString()), ADMIN, null, 204);
        }
        assertThat(count("tenant_network") + count("network_segment") + count("datacenter_tag") + count("tunnel_pair")).isZero();
    }

    @Test
    void aNetworkTheNodesCannotTakeIsUndoneWhole() throws Exception {
        doThrow(new VccProblemException(ProblemType.NODE_UNAVAILABLE, "node gone")).when(programmer).program(any(), anyString());
        assertProblem(call(post("/api/v1/networks"), ADMIN, network(acme, "web", 100, cloudA, cloudB), 503), "node-unavailable");
        assertThat(count("tenant_network") + count("network_segment") + count("datacenter_tag")).isZero();
    }

    @Test
    void badRequestsAreRefusedBeforeAnythingIsAllocated() throws Exception {
        assertProblem(call(post("/api/v1/networks"), ADMIN, network(acme, "web", 4095, cloudA), 400), "validation");
        assertProblem(call(post("/api/v1/networks"), ADMIN, network(acme, "web", 10, cloudA, cloudA), 400), "validation");
        assertProblem(call(post("/api/v1/networks"), ADMIN, network(acme, "web", 10, UUID.randomUUID().toString()), 404), "not-found");
        assertProblem(call(post("/api/v1/networks"), ADMIN, """
                {"tenantId":"%s","name":"web","vlanId":10,"clouds":[{"cloudId":"%s","localVteps":["no port"]}]}"""
                .formatted(acme, cloudA), 400), "validation");
        assertThat(count("tenant_network") + count("datacenter_tag")).isZero();
    }

    @Test
    void extendingAddsACloudWithItsOwnVniAndDatacenterTag() throws Exception {
        JsonNode net = json(call(post("/api/v1/networks"), tenantAdmin(acme), network(acme, "web", 100, cloudA), 201));
        String id = net.path("id").asString();
        JsonNode extended = json(call(post("/api/v1/networks/" + id + "/clouds"), tenantAdmin(acme),
                "{\"cloudId\":\"" + cloudB + "\",\"localVteps\":[\"127.0.0.1:4800\"]}", 200));
        assertThat(extended.path("clouds").size()).isEqualTo(2);
        assertThat(extended.path("hostTag").asInt()).isEqualTo(net.path("hostTag").asInt());
        assertThat(span(extended, cloudB).path("datacenterTag").asInt()).isNotEqualTo(span(extended, cloudA).path("datacenterTag").asInt());
        assertProblem(call(post("/api/v1/networks/" + id + "/clouds"), tenantAdmin(acme),
                "{\"cloudId\":\"" + cloudB + "\",\"localVteps\":[\"127.0.0.1:4800\"]}", 409), "duplicate");

        JsonNode shrunk = json(call(delete("/api/v1/networks/" + id + "/clouds/" + cloudB), tenantAdmin(acme), null, 200));
        assertThat(shrunk.path("clouds").size()).isEqualTo(1);
        assertThat(count("datacenter_tag")).isEqualTo(1);
        assertProblem(call(delete("/api/v1/networks/" + id + "/clouds/" + cloudA), tenantAdmin(acme), null, 409), "invalid-state");
    }

    private String network(String tenantId, String name, int vlan, String... clouds) {
        List<String> spans = new ArrayList<>();
        for (String cloud : clouds) {
            spans.add("{\"cloudId\":\"" + cloud + "\",\"localVteps\":[\"127.0.0.1:4789\"]}");
        }
        return "{\"tenantId\":\"" + tenantId + "\",\"name\":\"" + name + "\",\"vlanId\":" + vlan + ",\"clouds\":["
                + String.join(",", spans) + "]}";
    }

    private static JsonNode span(JsonNode network, String cloudId) {
        for (JsonNode span : network.path("clouds")) {
            if (span.path("cloudId").asString().equals(cloudId)) {
                return span;
            }
        }
        throw new AssertionError("network does not span " + cloudId + ": " + network);
    }

    private String tenantWithUsers(String prefix) throws Exception {
        String name = prefix + UUID.randomUUID().toString().substring(0, 8);
        String id = json(call(post("/api/v1/tenants"), ADMIN, "{\"name\":\"" + name + "\"}", 201)).path("id").asString();
        call(post("/api/v1/tenants/" + id + "/users"), ADMIN,
                "{\"username\":\"" + name + "-admin\",\"password\":\"tenant-admin-pw\",\"role\":\"TENANT_ADMIN\"}", 201);
        call(post("/api/v1/tenants/" + id + "/users"), ADMIN,
                "{\"username\":\"" + name + "-user\",\"password\":\"tenant-user-pw1\",\"role\":\"TENANT_USER\"}", 201);
        return id;
    }

    /** A VCC node registers, bringing its cloud: the cloud's id. */
    private String registeredNodeCloud() throws Exception {
        String token = json(call(post("/api/v1/node-registrations"), ADMIN, "{\"validMinutes\":5}", 201)).path("token").asString();
        String name = "n" + UUID.randomUUID().toString().substring(0, 8);
        call(post("/api/v1/nodes/register"), null, "{\"registrationToken\":\"" + token + "\",\"name\":\"" + name
                + "\",\"kind\":\"VCC\",\"visibility\":\"PUBLIC\",\"baseUrl\":\"http://localhost:1\",\"cloudName\":\"" + name
                + "-cloud\",\"cloudType\":\"THIRD_PARTY\",\"services\":[\"inventory\"],\"version\":\"test\"}", 201);
        return jdbc.sql("select id from cloud where name = ?").param(name + "-cloud").query(UUID.class).single().toString();
    }

    private RequestPostProcessor tenantAdmin(String tenantId) {
        return httpBasic(tenantName(tenantId) + "-admin", "tenant-admin-pw");
    }

    private RequestPostProcessor tenantUser(String tenantId) {
        return httpBasic(tenantName(tenantId) + "-user", "tenant-user-pw1");
    }

    private String tenantName(String tenantId) {
        return jdbc.sql("select name from tenant where id = ?").param(UUID.fromString(tenantId)).query(String.class).single();
    }

    private MvcResult call(MockHttpServletRequestBuilder request, RequestPostProcessor auth, String body, int status) throws Exception {
        return ApiCalls.call(mvc, request, auth, body, status);
    }

    private long count(String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }
}
