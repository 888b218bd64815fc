package io.vcc.server.network;

import static io.vcc.server.ApiCalls.assertProblem;
import static io.vcc.server.ApiCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

import io.vcc.server.ApiCalls;
import io.vcc.api.datapath.DatapathState;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import tools.jackson.databind.JsonNode;

/**
 * Tag allocation on a real (embedded) PostgreSQL, with the tag spaces shrunk to three VLAN IDs so that
 * exhaustion is reachable, and the server's default network quota at two per tenant. The nodes are
 * replaced by a mock programmer: what reaches the nodes is the e2e test's subject; here it is what the
 * server allocates, to whom, and what it frees, and which VTEPs it takes. The node of cloud A reports its
 * tunnel at 10.1.0.5:4790 and its VXLAN socket at 10.1.0.7:4789; the admin allows 10.1.0.0/16 in cloud A and
 * 10.2.0.0/16 in cloud B.
 */
@SpringBootTest(properties = {"spring.config.name=vcc-server", "vcc.service-name=vcc-server", "vcc.networks.max-tag=3",
        "vcc.networks.tenant-quota=2"})
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
    @Autowired
    NetworkLedger ledger;
    @Autowired
    TagSpace space;
    @Autowired
    PlatformTransactionManager transactions;

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
        allowVteps(cloudA, "10.1.0.0/16");
        allowVteps(cloudB, "10.2.0.0/16");
        Map<UUID, DatapathState> states = Map.of(
                nodeOf(cloudA), datapath("10.1.0.5:4790", "10.1.0.7:4789"),
                nodeOf(cloudB), datapath("10.2.0.5:4790", "0.0.0.0:4789"));
        when(programmer.state(any())).thenAnswer(call -> states.get(call.<UUID>getArgument(0)));
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
        assertThat(span(acmeNet, cloudB).path("localVteps").get(0).asString()).isEqualTo("10.2.1.1:4789");
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
        for (int mtu : new int[] {575, 9001}) {
            String outOfRange = network(acme, "web", 10, cloudA).replace("\"vlanId\"", "\"mtu\":" + mtu + ",\"vlanId\"");
            assertThat(call(post("/api/v1/networks"), ADMIN, outOfRange, 400).getResponse().getContentAsString()).contains("mtu");
        }
        assertThat(count("tenant_network") + count("datacenter_tag")).isZero();
    }

    @Test
    void aNetworkKeepsTheMtuItWasCreatedWithAndTakesTheDefaultWithoutOne() throws Exception {
        JsonNode web = json(call(post("/api/v1/networks"), tenantAdmin(acme), network(acme, "web", 10, cloudA), 201));
        String db = network(acme, "db", 20, cloudA).replace("\"vlanId\"", "\"mtu\":1300,\"vlanId\"");
        JsonNode small = json(call(post("/api/v1/networks"), tenantAdmin(acme), db, 201));
        assertThat(web.path("mtu").asInt()).isEqualTo(1400);
        assertThat(small.path("mtu").asInt()).isEqualTo(1300);
        assertThat(json(call(get("/api/v1/networks/" + small.path("id").asString()), tenantUser(acme), null, 200)).path("mtu").asInt())
                .isEqualTo(1300);
        verify(programmer).program(argThat(network -> network.mtu() == 1300), anyString());
    }

    @Test
    void extendingAddsACloudWithItsOwnVniAndDatacenterTag() throws Exception {
        JsonNode net = json(call(post("/api/v1/networks"), tenantAdmin(acme), network(acme, "web", 100, cloudA), 201));
        String id = net.path("id").asString();
        JsonNode extended = json(call(post("/api/v1/networks/" + id + "/clouds"), tenantAdmin(acme),
                "{\"cloudId\":\"" + cloudB + "\",\"localVteps\":[\"10.2.1.2:4800\"]}", 200));
        assertThat(extended.path("clouds").size()).isEqualTo(2);
        assertThat(extended.path("hostTag").asInt()).isEqualTo(net.path("hostTag").asInt());
        assertThat(span(extended, cloudB).path("datacenterTag").asInt()).isNotEqualTo(span(extended, cloudA).path("datacenterTag").asInt());
        assertProblem(call(post("/api/v1/networks/" + id + "/clouds"), tenantAdmin(acme),
                "{\"cloudId\":\"" + cloudB + "\",\"localVteps\":[\"10.2.1.2:4800\"]}", 409), "duplicate");

        JsonNode shrunk = json(call(delete("/api/v1/networks/" + id + "/clouds/" + cloudB), tenantAdmin(acme), null, 200));
        assertThat(shrunk.path("clouds").size()).isEqualTo(1);
        assertThat(count("datacenter_tag")).isEqualTo(1);
        assertProblem(call(delete("/api/v1/networks/" + id + "/clouds/" + cloudA), tenantAdmin(acme), null, 409), "invalid-state");
    }

    /**
     * Two stretch deploys into one cloud extend the network at once: one adds the span, the other is told it is there
     * (a duplicate the caller converges on), never a key violation. Both are held at the lock spans are added under
     * until both have started.
     */
    @Test
    void twoExtensionsIntoOneCloudAtOnceGiveOneSpanAndOneDuplicate() throws Exception {
        JsonNode net = json(call(post("/api/v1/networks"), tenantAdmin(acme), network(acme, "web", 100, cloudA), 201));
        UUID id = UUID.fromString(net.path("id").asString());
        NetworkLedger.NewSpan span = new NetworkLedger.NewSpan(UUID.fromString(cloudB), nodeOf(cloudB), List.of("10.2.1.1:4789"));
        List<Object> outcomes = racedUnder(space::lockDatacenterTags, network -> network.clouds().size(),
                () -> ledger.extend(id, null, span), () -> ledger.extend(id, null, span));
        assertThat(outcomes).containsExactlyInAnyOrder(2, ProblemType.DUPLICATE);
        assertThat(count("network_segment")).isEqualTo(2);
    }

    @Test
    void twoCreationsOfOneNameAtOnceGiveOneNetworkAndOneDuplicate() throws Exception {
        UUID tenant = UUID.fromString(acme);
        List<Object> outcomes = racedUnder(() -> space.lockNetworksOf(tenant), NetworkView::name,
                () -> ledger.create(tenant, "acme", 10, "web", 100, 1400, List.of()),
                () -> ledger.create(tenant, "acme", 10, "web", 101, 1400, List.of()));
        assertThat(outcomes).containsExactlyInAnyOrder("web", ProblemType.DUPLICATE);
        assertThat(count("tenant_network")).isEqualTo(1);
    }

    /**
     * Starts both calls while the test holds the lock {@code lock} takes, lets them go once both wait for it, and gives
     * each one's outcome: what {@code result} makes of its network, or the problem type it failed with.
     */
    private List<Object> racedUnder(Runnable lock, Function<NetworkView, Object> result, Callable<NetworkView> first,
                                    Callable<NetworkView> second) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<NetworkView>> calls = new ArrayList<>();
        TransactionStatus holder = transactions.getTransaction(new DefaultTransactionDefinition());
        try {
            lock.run();
            calls.add(pool.submit(first));
            calls.add(pool.submit(second));
            await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("select count(*) from pg_stat_activity "
                    + "where datname = current_database() and wait_event_type = 'Lock'").query(Long.class).single() >= 2);
        } finally {
            transactions.commit(holder);
        }
        List<Object> outcomes = new ArrayList<>();
        for (Future<NetworkView> call : calls) {
            try {
                outcomes.add(result.apply(call.get(30, TimeUnit.SECONDS)));
            } catch (ExecutionException e) {
                outcomes.add(e.getCause() instanceof VccProblemException problem ? problem.type() : e.getCause());
            }
        }
        pool.shutdown();
        return outcomes;
    }

    /** Each VTEP that would make the node loop, fan out or reflect, with what the refusal must say. */
    private static final Map<String, String> HOSTILE_VTEPS_IN_A = new java.util.LinkedHashMap<>();

    static {
        HOSTILE_VTEPS_IN_A.put("127.0.0.1:4789", "loopback");
        HOSTILE_VTEPS_IN_A.put("127.8.9.10:4789", "loopback");
        HOSTILE_VTEPS_IN_A.put("[::1]:4789", "loopback");
        HOSTILE_VTEPS_IN_A.put("[::ffff:127.0.0.1]:4789", "loopback");
        HOSTILE_VTEPS_IN_A.put("[::127.0.0.1]:4789", "IPv4-compatible");
        HOSTILE_VTEPS_IN_A.put("localhost:4789", "not an IP address and port");
        HOSTILE_VTEPS_IN_A.put("127.1:4789", "not an IP address and port");
        HOSTILE_VTEPS_IN_A.put("2130706433:4789", "not an IP address and port");
        HOSTILE_VTEPS_IN_A.put("010.001.001.001:4789", "not an IP address and port");
        HOSTILE_VTEPS_IN_A.put("0.0.0.0:4789", "unspecified");
        HOSTILE_VTEPS_IN_A.put("0.1.2.3:4789", "unspecified");
        HOSTILE_VTEPS_IN_A.put("[::]:4789", "unspecified");
        HOSTILE_VTEPS_IN_A.put("224.0.0.1:4789", "multicast");
        HOSTILE_VTEPS_IN_A.put("239.1.1.1:4789", "multicast");
        HOSTILE_VTEPS_IN_A.put("[ff02::1]:4789", "multicast");
        HOSTILE_VTEPS_IN_A.put("255.255.255.255:4789", "broadcast");
        HOSTILE_VTEPS_IN_A.put("240.0.0.1:4789", "reserved");
        HOSTILE_VTEPS_IN_A.put("169.254.169.254:4789", "link-local");
        HOSTILE_VTEPS_IN_A.put("[fe80::1]:4789", "link-local");
        HOSTILE_VTEPS_IN_A.put("10.1.255.255:4789", "network or broadcast address of 10.1.0.0/16");
        HOSTILE_VTEPS_IN_A.put("10.1.0.0:4789", "network or broadcast address of 10.1.0.0/16");
        HOSTILE_VTEPS_IN_A.put("10.1.0.5:4790", "address of the node");
        HOSTILE_VTEPS_IN_A.put("10.1.0.5:4789", "address of the node");
        HOSTILE_VTEPS_IN_A.put("10.1.0.5:20000", "address of the node");
        HOSTILE_VTEPS_IN_A.put("10.1.0.7:4789", "address of the node");
        HOSTILE_VTEPS_IN_A.put("10.2.1.1:4789", "outside the VTEP ranges of cloud");
        HOSTILE_VTEPS_IN_A.put("192.168.1.1:4789", "outside the VTEP ranges of cloud");
        HOSTILE_VTEPS_IN_A.put("10.1.1.1:53", "port 53 is outside the VTEP ports");
        HOSTILE_VTEPS_IN_A.put("10.1.1.1:0", "port 0 is outside the VTEP ports");
        HOSTILE_VTEPS_IN_A.put("10.1.1.1:99999", "port 99999 is outside the VTEP ports");
    }

    @Test
    void hostileVtepsAreRefusedNamingTheFieldAndWhatIsAllowedAndNothingIsAllocated() throws Exception {
        for (Map.Entry<String, String> hostile : HOSTILE_VTEPS_IN_A.entrySet()) {
            JsonNode problem = assertProblem(call(post("/api/v1/networks"), tenantAdmin(acme),
                    networkWithVteps(acme, "web", 100, cloudA, "10.1.1.1:4789", hostile.getKey()), 400), "validation");
            String message = problem.path("errors").path("clouds[0].localVteps[1]").asString();
            assertThat(message).as(hostile.getKey()).contains(hostile.getValue())
                    .contains("allows VTEPs at unicast addresses in 10.1.0.0/16, ports 1024-65535, other than the node's own");
            assertThat(problem.path("errors").has("clouds[0].localVteps[0]")).as("the good VTEP next to " + hostile.getKey()).isFalse();
            assertThat(problem.path("detail").asString()).contains("clouds[0].localVteps[1]");
        }
        // The node of cloud B listens on a wildcard address: its tunnel's host is still its own.
        assertThat(assertProblem(call(post("/api/v1/networks"), ADMIN, networkWithVteps(acme, "web", 100, cloudB, "10.2.0.5:4789"), 400),
                "validation").path("errors").path("clouds[0].localVteps[0]").asString()).contains("address of the node");
        // A zone id never gets past the request's own validation.
        assertProblem(call(post("/api/v1/networks"), ADMIN, networkWithVteps(acme, "web", 100, cloudA, "[fe80::1%eth0]:4789"), 400), "validation");
        assertThat(count("tenant_network") + count("network_segment") + count("datacenter_tag") + count("tunnel_pair")).isZero();
        verify(programmer, never()).program(any(), anyString());

        // Extending into a cloud is held to the same rules, and leaves the network as it was.
        String id = json(call(post("/api/v1/networks"), tenantAdmin(acme), networkWithVteps(acme, "web", 100, cloudA,
                "10.1.1.1:4789", "[::ffff:10.1.2.3]:4789"), 201)).path("id").asString();
        JsonNode refused = assertProblem(call(post("/api/v1/networks/" + id + "/clouds"), tenantAdmin(acme),
                "{\"cloudId\":\"" + cloudB + "\",\"localVteps\":[\"10.2.0.5:4790\"]}", 400), "validation");
        assertThat(refused.path("errors").path("localVteps[0]").asString()).contains("address of the node", "10.2.0.0/16");
        assertThat(json(call(get("/api/v1/networks/" + id), tenantAdmin(acme), null, 200)).path("clouds").size()).isEqualTo(1);
        assertThat(count("network_segment")).isEqualTo(1);
        verify(programmer, times(1)).program(any(), anyString());
    }

    @Test
    void aCloudWithoutAllowedRangesTakesNoVtepAndOnlyAnAdminSetsThem() throws Exception {
        String bare = registeredNodeCloud();
        JsonNode refused = assertProblem(call(post("/api/v1/networks"), ADMIN, networkWithVteps(acme, "web", 100, bare, "10.3.1.1:4789"), 400),
                "validation");
        assertThat(refused.path("errors").path("clouds[0].localVteps[0]").asString())
                .contains("allows no VTEP addresses yet", "PATCH /api/v1/clouds/" + bare, "vtepRanges");

        assertProblem(call(patch("/api/v1/clouds/" + bare), tenantAdmin(acme), "{\"vtepRanges\":[\"0.0.0.0/0\"]}", 403), "forbidden");
        JsonNode badRanges = assertProblem(call(patch("/api/v1/clouds/" + bare), ADMIN,
                "{\"vtepRanges\":[\"10.3.0.0/16\",\"10.3.0.1/16\",\"10.0.0.0/33\",\"example.com/24\"]}", 400), "validation");
        assertThat(badRanges.path("errors").propertyNames()).containsExactly("vtepRanges[1]", "vtepRanges[2]", "vtepRanges[3]");
        assertThat(badRanges.path("errors").path("vtepRanges[1]").asString()).contains("host bits zero");
        assertThat(json(call(get("/api/v1/clouds/" + bare), ADMIN, null, 200)).path("vtepRanges").size()).isZero();

        JsonNode cloud = json(call(patch("/api/v1/clouds/" + bare), ADMIN, "{\"vtepRanges\":[\"10.3.0.0/16\",\"fd00:3::/48\"]}", 200));
        assertThat(cloud.path("vtepRanges").get(0).asString()).isEqualTo("10.3.0.0/16");
        assertThat(cloud.path("vtepRanges").size()).isEqualTo(2);
        JsonNode created = json(call(post("/api/v1/networks"), ADMIN,
                networkWithVteps(acme, "web", 100, bare, "10.3.1.1:4789", "[fd00:3::10]:4789"), 201));
        assertThat(span(created, bare).path("localVteps").size()).isEqualTo(2);
    }

    @Test
    void aTenantAtItsNetworkQuotaGetsAClearConflictAndNothingIsAllocatedWhileOthersGoOn() throws Exception {
        // The admin gives acme a quota of one; acme's own admin cannot raise it.
        assertProblem(call(put("/api/v1/tenants/" + acme + "/network-quota"), tenantAdmin(acme), "{\"networks\":4094}", 403), "forbidden");
        assertProblem(call(put("/api/v1/tenants/" + acme + "/network-quota"), ADMIN, "{\"networks\":4095}", 400), "validation");
        assertThat(json(call(put("/api/v1/tenants/" + acme + "/network-quota"), ADMIN, "{\"networks\":1}", 200))
                .path("networkQuota").asInt()).isEqualTo(1);
        String acmeWeb = json(call(post("/api/v1/networks"), tenantAdmin(acme), network(acme, "web", 100, cloudA), 201)).path("id").asString();

        JsonNode full = assertProblem(call(post("/api/v1/networks"), tenantAdmin(acme), network(acme, "db", 200, cloudA, cloudB), 409),
                "network-quota-exceeded");
        assertThat(full.path("detail").asString()).contains("has 1 layer-2 networks", "quota allows 1", "/network-quota");
        assertThat(count("tenant_network")).isEqualTo(1);
        assertThat(count("network_segment")).isEqualTo(1);
        assertThat(count("datacenter_tag")).isEqualTo(1); // cloud B got no tag for the refused network
        verify(programmer, times(1)).program(any(), anyString());

        // Globex has the server's default (two here): its networks go on, and stay its own.
        assertThat(json(call(get("/api/v1/tenants/" + globex), ADMIN, null, 200)).path("networkQuota").isNull()).isTrue();
        String globexWeb = json(call(post("/api/v1/networks"), tenantAdmin(globex), network(globex, "web", 100, cloudA), 201)).path("id").asString();
        String globexDb = json(call(post("/api/v1/networks"), tenantAdmin(globex), network(globex, "db", 200, cloudB), 201)).path("id").asString();
        assertProblem(call(post("/api/v1/networks"), tenantAdmin(globex), network(globex, "app", 300, cloudB), 409), "network-quota-exceeded");
        assertProblem(call(get("/api/v1/networks/" + globexWeb), tenantAdmin(acme), null, 404), "not-found");
        assertProblem(call(delete("/api/v1/networks/" + globexWeb), tenantAdmin(acme), null, 404), "not-found");
        assertProblem(call(get("/api/v1/networks/" + acmeWeb), tenantUser(globex), null, 404), "not-found");
        assertThat(count("tenant_network")).isEqualTo(3);

        // Back to the default: acme has room for a second network once a tag is free again (three in this test).
        call(delete("/api/v1/networks/" + globexDb), tenantAdmin(globex), null, 204);
        assertThat(json(call(put("/api/v1/tenants/" + acme + "/network-quota"), ADMIN, "{\"networks\":null}", 200))
                .path("networkQuota").isNull()).isTrue();
        call(post("/api/v1/networks"), tenantAdmin(acme), network(acme, "db", 200, cloudA, cloudB), 201);
    }

    private String networkWithVteps(String tenantId, String name, int vlan, String cloud, String... vteps) {
        return "{\"tenantId\":\"" + tenantId + "\",\"name\":\"" + name + "\",\"vlanId\":" + vlan + ",\"clouds\":[{\"cloudId\":\""
                + cloud + "\",\"localVteps\":[\"" + String.join("\",\"", vteps) + "\"]}]}";
    }

    private void allowVteps(String cloudId, String... ranges) throws Exception {
        call(patch("/api/v1/clouds/" + cloudId), ADMIN, "{\"vtepRanges\":[\"" + String.join("\",\"", ranges) + "\"]}", 200);
    }

    private UUID nodeOf(String cloudId) {
        return jdbc.sql("select id from node where cloud_id = ?").param(UUID.fromString(cloudId)).query(UUID.class).single();
    }

    private static DatapathState datapath(String tunnel, String localVtep) {
        return new DatapathState(true, true, "nio", 1, localVtep, tunnel, null, List.of(), List.of(), null);
    }

    /** A network with one allowed VTEP per cloud: 10.1.1.1:4789 in cloud A, 10.2.1.1:4789 in cloud B. */
    private String network(String tenantId, String name, int vlan, String... clouds) {
        List<String> spans = new ArrayList<>();
        for (String cloud : clouds) {
            String vtep = cloud.equals(cloudA) ? "10.1.1.1:4789" : cloud.equals(cloudB) ? "10.2.1.1:4789" : "10.3.1.1:4789";
            spans.add("{\"cloudId\":\"" + cloud + "\",\"localVteps\":[\"" + vtep + "\"]}");
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
