package io.vcc.server.node;

import static io.vcc.server.ApiCalls.assertProblem;
import static io.vcc.server.ApiCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vcc.server.ApiCalls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;

/**
 * Rotation and revocation as the server does them, against a stand-in node on a real HTTP port that can
 * refuse a new secret (as a compromised or broken node would) and that counts the server's status polls.
 * The handover with a real node is {@code NodeCredentialsE2ETest}.
 */
@SpringBootTest(properties = {"spring.config.name=vcc-server", "vcc.service-name=vcc-server",
        "vcc.nodes.status-interval=1h"})
@ActiveProfiles("test")
@AutoConfigureMockMvc
class NodeCredentialsApiTest {

    private static final RequestPostProcessor ADMIN = httpBasic("admin", "test-admin-password");

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    NodeStatusPoller poller;
    @Autowired
    NodeCredentials credentials;
    @Autowired
    Nodes nodes;
    @Autowired
    PlatformTransactionManager transactions;

    private StandInNode node;
    private String nodeId;

    @BeforeEach
    void registerNode() throws Exception {
        node = new StandInNode();
        String token = json(call(post("/api/v1/node-registrations"), ADMIN, "{}", 201)).path("token").asString();
        String name = "n" + UUID.randomUUID().toString().substring(0, 8);
        var registered = json(call(post("/api/v1/nodes/register"), null, "{\"registrationToken\":\"" + token + "\",\"name\":\""
                + name + "\",\"kind\":\"VCC\",\"visibility\":\"PUBLIC\",\"baseUrl\":\"" + node.url() + "\",\"cloudName\":\""
                + name + "\",\"cloudType\":\"THIRD_PARTY\",\"services\":[\"inventory\"],\"version\":\"test\"}", 201));
        nodeId = registered.path("nodeId").asString();
        node.identity(nodeId, registered.path("username").asString(), registered.path("secret").asString());
    }

    @AfterEach
    void stopNode() {
        node.stop();
    }

    @Test
    void aRevokedNodeIsNeitherPolledNorUsableAndItsRecordAndHistoryStay() throws Exception {
        poller.pollAll();
        assertThat(node.statusPolls.get()).isEqualTo(1);
        // This node refuses to give up its secret: the revocation holds anyway, and the lock waits.
        node.refuseNewSecret.set(true);

        var revoked = json(call(post("/api/v1/nodes/" + nodeId + "/revocation"), ADMIN, null, 200));
        assertThat(revoked.path("status").asString()).isEqualTo("REVOKED");
        assertThat(revoked.path("revokedBy").asString()).isEqualTo("admin");
        assertThat(pendingSecret()).isNotNull();

        poller.pollAll();
        assertThat(node.statusPolls.get()).as("no status poll after revocation").isEqualTo(1);
        assertThat(json(call(get("/api/v1/nodes/" + nodeId), ADMIN, null, 200)).path("status").asString()).isEqualTo("REVOKED");

        assertProblem(call(post("/api/v1/nodes/" + nodeId + "/revocation"), ADMIN, null, 409), "invalid-state");
        assertProblem(call(post("/api/v1/nodes/" + nodeId + "/secret"), ADMIN, null, 409), "node-revoked");
        assertProblem(call(delete("/api/v1/nodes/" + nodeId), ADMIN, null, 409), "conflict");
        assertProblem(call(post("/api/v1/nodes/" + UUID.randomUUID() + "/revocation"), ADMIN, null, 404), "not-found");
        assertThat(json(call(get("/api/v1/nodes/" + nodeId + "/credential-history"), ADMIN, null, 200)).findValuesAsString("kind"))
                .containsExactly("REVOKED");

        // Once the node takes a secret nobody keeps, the history says so and the last secret opens nothing.
        String leaked = node.secret.get();
        node.refuseNewSecret.set(false);
        credentials.finishHandovers();
        assertThat(node.secret.get()).isNotEqualTo(leaked);
        assertThat(pendingSecret()).isNull();
        assertThat(json(call(get("/api/v1/nodes/" + nodeId + "/credential-history"), ADMIN, null, 200)).findValuesAsString("kind"))
                .containsExactly("REVOKED", "LOCKED");
        assertThat(node.statusPolls.get()).isEqualTo(1);
    }

    @Test
    void aPollThatRecordsItsAnswerWhileARevocationCommitsDoesNotUndoIt() throws Exception {
        // The revocation has changed the node's row and not committed yet when the poll comes to record its answer.
        TransactionStatus revocation = transactions.getTransaction(TransactionDefinition.withDefaults());
        nodes.findById(UUID.fromString(nodeId)).orElseThrow().revoke("admin", Instant.now());
        nodes.flush();
        CompletableFuture<Void> poll = CompletableFuture.runAsync(poller::pollAll);
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("select count(*) from pg_stat_activity "
                + "where datname = current_database() and wait_event_type = 'Lock'").query(Long.class).single() > 0);
        transactions.commit(revocation);
        poll.get(30, TimeUnit.SECONDS);

        assertThat(node.statusPolls.get()).isEqualTo(1);
        var view = json(call(get("/api/v1/nodes/" + nodeId), ADMIN, null, 200));
        assertThat(view.path("status").asString()).isEqualTo("REVOKED");
        assertThat(view.path("revokedBy").asString()).isEqualTo("admin");
    }

    @Test
    void aRevocationWhileARotationHandsItsSecretOverLocksTheNodeOutWithThatSecret() throws Exception {
        UUID id = UUID.fromString(nodeId);
        String first = node.secret.get();
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        node.holdNextHandover(arrived, release);
        CompletableFuture<Boolean> rotation = CompletableFuture.supplyAsync(() -> credentials.rotate(id, "admin"));
        assertThat(arrived.await(30, TimeUnit.SECONDS)).isTrue();

        // The node is taking the rotation's secret when the revocation comes (and is recorded).
        CompletableFuture<Boolean> revocation = CompletableFuture.supplyAsync(() -> credentials.revoke(id, "admin"));
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("select revoked_at is not null from node where id = ?")
                .param(id).query(Boolean.class).single());
        release.countDown();
        assertThat(rotation.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(revocation.get(30, TimeUnit.SECONDS)).isTrue();

        credentials.finishHandovers();
        assertThat(pendingSecret()).isNull();
        assertThat(node.secret.get()).isNotEqualTo(first);
        assertThat(json(call(get("/api/v1/nodes/" + nodeId + "/credential-history"), ADMIN, null, 200)).findValuesAsString("kind"))
                .containsExactly("ROTATION_STARTED", "REVOKED", "LOCKED");
    }

    @Test
    void aRotationTheNodeMissesWaitsAndTheOldSecretKeepsWorkingUntilItIsHandedOver() throws Exception {
        String first = node.secret.get();
        node.refuseNewSecret.set(true);
        assertProblem(call(post("/api/v1/nodes/" + nodeId + "/secret"), ADMIN, null, 503), "node-unavailable");
        assertThat(node.secret.get()).isEqualTo(first);
        poller.pollAll();
        assertThat(json(call(get("/api/v1/nodes/" + nodeId), ADMIN, null, 200)).path("status").asString())
                .as("the server still logs in with the old secret").isEqualTo("RUNNING");

        node.refuseNewSecret.set(false);
        credentials.finishHandovers();
        assertThat(node.secret.get()).isNotEqualTo(first);
        assertThat(pendingSecret()).isNull();
        int logins = node.logins.get();
        poller.pollAll();
        assertThat(node.logins.get()).as("the server logged in again, with the new secret").isGreaterThan(logins);
        assertThat(json(call(get("/api/v1/nodes/" + nodeId), ADMIN, null, 200)).path("status").asString()).isEqualTo("RUNNING");
        assertThat(json(call(get("/api/v1/nodes/" + nodeId + "/credential-history"), ADMIN, null, 200)).findValuesAsString("kind"))
                .containsExactly("ROTATION_STARTED", "ROTATED");

        // A handover whose answer was lost: the node took the secret, the server did not hear so, and finds it works.
        String second = node.secret.get();
        node.takeButFail.set(true);
        call(post("/api/v1/nodes/" + nodeId + "/secret"), ADMIN, null, 200);
        assertThat(node.secret.get()).isNotEqualTo(second);
        assertThat(pendingSecret()).isNull();
        poller.pollAll();
        assertThat(json(call(get("/api/v1/nodes/" + nodeId), ADMIN, null, 200)).path("status").asString()).isEqualTo("RUNNING");
        assertThat(json(call(get("/api/v1/nodes/" + nodeId + "/credential-history"), ADMIN, null, 200)).findValuesAsString("kind"))
                .containsExactly("ROTATION_STARTED", "ROTATED", "ROTATION_STARTED", "ROTATED");
    }

    @Test
    void tenantsCannotRotateRevokeOrReadHistory() throws Exception {
        String name = "t" + UUID.randomUUID().toString().substring(0, 8);
        String tenant = json(call(post("/api/v1/tenants"), ADMIN, "{\"name\":\"" + name + "\"}", 201)).path("id").asString();
        call(post("/api/v1/tenants/" + tenant + "/users"), ADMIN,
                "{\"username\":\"" + name + "-a\",\"password\":\"tenant-admin-pw\",\"role\":\"TENANT_ADMIN\"}", 201);
        RequestPostProcessor tenantAdmin = httpBasic(name + "-a", "tenant-admin-pw");
        String before = node.secret.get();
        assertProblem(call(post("/api/v1/nodes/" + nodeId + "/secret"), tenantAdmin, null, 403), "forbidden");
        assertProblem(call(post("/api/v1/nodes/" + nodeId + "/revocation"), tenantAdmin, null, 403), "forbidden");
        assertProblem(call(get("/api/v1/nodes/" + nodeId + "/credential-history"), tenantAdmin, null, 403), "forbidden");
        assertThat(node.secret.get()).isEqualTo(before);
        assertThat(json(call(get("/api/v1/nodes/" + nodeId), ADMIN, null, 200)).path("status").asString()).isEqualTo("RUNNING");
        assertThat(jdbc.sql("select count(*) from node_credential_event where node_id = ?").param(UUID.fromString(nodeId))
                .query(Long.class).single()).isZero();
    }

    private String pendingSecret() {
        return jdbc.sql("select pending_secret_encrypted from node where id = ?").param(UUID.fromString(nodeId))
                .query(String.class).optional().orElse(null);
    }

    private MvcResult call(MockHttpServletRequestBuilder request, RequestPostProcessor auth, String body, int status) throws Exception {
        return ApiCalls.call(mvc, request, auth, body, status);
    }

    /** Speaks enough of the node API for the server's logins, status polls and secret handovers. */
    static final class StandInNode {

        final AtomicReference<String> secret = new AtomicReference<>();
        final AtomicBoolean refuseNewSecret = new AtomicBoolean();
        final AtomicBoolean takeButFail = new AtomicBoolean();
        final AtomicInteger statusPolls = new AtomicInteger();
        final AtomicInteger logins = new AtomicInteger();
        private final Map<String, Boolean> sessions = new ConcurrentHashMap<>();
        private final HttpServer http;
        private final ExecutorService executor = Executors.newCachedThreadPool();
        private volatile CountDownLatch[] hold;
        private volatile String nodeId;
        private volatile String username;

        StandInNode() throws IOException {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.createContext("/node/v1/sessions", this::login);
            http.createContext("/node/v1/status", this::status);
            http.createContext("/node/v1/credentials", this::credentials);
            // A handover held in its call must not hold up the server's other calls.
            http.setExecutor(executor);
            http.start();
        }

        String url() {
            return "http://127.0.0.1:" + http.getAddress().getPort();
        }

        void identity(String nodeId, String username, String secret) {
            this.nodeId = nodeId;
            this.username = username;
            this.secret.set(secret);
        }

        void stop() {
            http.stop(0);
            executor.shutdownNow();
        }

        /** The next secret handover waits, once it has arrived, until {@code release}. */
        void holdNextHandover(CountDownLatch arrived, CountDownLatch release) {
            hold = new CountDownLatch[] {arrived, release};
        }

        private void login(HttpExchange exchange) throws IOException {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            logins.incrementAndGet();
            if (!body.contains("\"" + username + "\"") || !body.contains("\"secret\":\"" + secret.get() + "\"")) {
                answer(exchange, 401, "{\"type\":\"urn:vcc:problem:unauthorized\",\"status\":401,\"detail\":\"wrong secret\"}");
                return;
            }
            String token = UUID.randomUUID().toString();
            sessions.put(token, true);
            answer(exchange, 201, "{\"token\":\"" + token + "\",\"expiresAt\":\"2099-01-01T00:00:00Z\"}");
        }

        private void status(HttpExchange exchange) throws IOException {
            if (!authorized(exchange)) {
                return;
            }
            statusPolls.incrementAndGet();
            answer(exchange, 200, "{\"nodeId\":\"" + nodeId + "\",\"name\":\"x\",\"kind\":\"VCC\",\"version\":\"test\","
                    + "\"startedAt\":\"2026-01-01T00:00:00Z\",\"services\":[]}");
        }

        private void credentials(HttpExchange exchange) throws IOException {
            if (!authorized(exchange)) {
                return;
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            CountDownLatch[] held = hold;
            if (held != null) {
                hold = null;
                held[0].countDown();
                try {
                    held[1].await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (refuseNewSecret.get()) {
                answer(exchange, 500, "{\"type\":\"urn:vcc:problem:internal\",\"status\":500,\"detail\":\"no\"}");
                return;
            }
            secret.set(body.replaceAll(".*\"secret\"\\s*:\\s*\"([^\"]+)\".*", "$1"));
            sessions.clear();
            if (takeButFail.get()) {
                answer(exchange, 502, "{\"type\":\"urn:vcc:problem:node-error\",\"status\":502,\"detail\":\"answer lost\"}");
                return;
            }
            answer(exchange, 204, null);
        }

        private boolean authorized(HttpExchange exchange) throws IOException {
            String header = exchange.getRequestHeaders().getFirst("Authorization");
            if (header == null || !sessions.containsKey(header.replace("Bearer ", ""))) {
                answer(exchange, 401, "{\"type\":\"urn:vcc:problem:unauthorized\",\"status\":401,\"detail\":\"no session\"}");
                return false;
            }
            return true;
        }

        private static void answer(HttpExchange exchange, int status, String json) throws IOException {
            if (json == null) {
                exchange.sendResponseHeaders(status, -1);
            } else {
                byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        }
    }
}
