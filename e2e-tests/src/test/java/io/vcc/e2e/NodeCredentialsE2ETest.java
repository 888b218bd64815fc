package io.vcc.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A node's secret rotated and the node revoked, with a real server and a real node talking HTTP: after a
 * rotation only the new secret opens the node and the server keeps working with it; after revocation the
 * node's last secret no longer opens it either, the server stops polling it, its VDC answers
 * {@code node-revoked}, and the history says who did what. The test reads the node's secret as the server
 * stores it (encrypted with a key it sets) to try it against the node as an attacker holding it would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeCredentialsE2ETest {

    private static final String SECRET_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    @TempDir
    static Path home;

    private VccCluster cluster;
    private ConfigurableApplicationContext server;
    private ConfigurableApplicationContext node;
    private Api admin;
    private String nodeUrl;

    @BeforeAll
    void start() {
        cluster = new VccCluster(home);
        int serverPort = VccCluster.freePort();
        String serverUrl = "http://localhost:" + serverPort;
        server = cluster.server(serverPort, "--vcc.secret-key=" + SECRET_KEY);
        admin = Api.basic(serverUrl, "admin", VccCluster.ADMIN_PASSWORD);
        String token = admin.post("/api/v1/node-registrations", "{\"note\":\"cloud-a\"}").text("token");
        int nodePort = VccCluster.freePort();
        nodeUrl = "http://localhost:" + nodePort;
        node = cluster.vccNode("cloud-a", nodePort, serverUrl, token, "VCC", "PRIVATE", "VDC_MANAGER", false);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(admin.get("/api/v1/nodes").json().findValuesAsString("status")).containsExactly("RUNNING"));
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aRotatedSecretReplacesTheOldOneAndARevokedNodeIsLockedOutAndLeftAlone() {
        String nodeId = admin.get("/api/v1/nodes").json().get(0).path("id").asString();
        String tenant = admin.createTenantWithAdmin("acme");
        Api acme = admin.asTenantAdmin("acme");
        String vdc = admin.createVdc(tenant, "cloud-a", "acme-a", 100);
        String first = storedSecret();
        assertThat(nodeLogin(first).status()).isEqualTo(201);

        // Tenants may not touch nodes.
        assertThat(acme.post("/api/v1/nodes/" + nodeId + "/secret", "").status()).isEqualTo(403);
        assertThat(acme.post("/api/v1/nodes/" + nodeId + "/revocation", "").status()).isEqualTo(403);
        assertThat(acme.get("/api/v1/nodes/" + nodeId + "/credential-history").status()).isEqualTo(403);

        Api.Response rotated = admin.post("/api/v1/nodes/" + nodeId + "/secret", "");
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        assertThat(rotated.text("status")).isEqualTo("RUNNING");
        String second = storedSecret();
        assertThat(second).isNotEqualTo(first);
        Api.Response old = nodeLogin(first);
        assertThat(old.status()).isEqualTo(401);
        assertThat(old.problemType()).isEqualTo("urn:vcc:problem:unauthorized");
        assertThat(nodeLogin(second).status()).isEqualTo(201);
        // The server works on with the node: a VDC's live view and a new VM go through it.
        assertThat(acme.get("/api/v1/vdcs/" + vdc + "/vms").status()).isEqualTo(200);
        Api.Response vm = acme.post("/api/v1/vdcs/" + vdc + "/vms", "{\"name\":\"web-1\",\"cpus\":1,\"memoryMb\":512,\"diskGb\":1}");
        assertThat(vm.status()).as(vm.toString()).isEqualTo(201);

        Api.Response revoked = admin.post("/api/v1/nodes/" + nodeId + "/revocation", "");
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        assertThat(revoked.text("status")).isEqualTo("REVOKED");
        assertThat(revoked.text("revokedBy")).isEqualTo("admin");
        assertThat(revoked.text("revokedAt")).isNotNull();
        Instant revokedAt = Instant.now();
        // Whoever holds the node's last secret is out too.
        assertThat(nodeLogin(second).status()).isEqualTo(401);

        Api.Response onRevoked = acme.get("/api/v1/vdcs/" + vdc + "/vms");
        assertThat(onRevoked.status()).as(onRevoked.toString()).isEqualTo(409);
        assertThat(onRevoked.problemType()).isEqualTo("urn:vcc:problem:node-revoked");
        assertThat(onRevoked.json().path("detail").asString()).contains("cloud-a", "revoked");
        // The VDC's record stays readable (without the usage only its node could tell).
        assertThat(acme.get("/api/v1/vdcs/" + vdc).status()).isEqualTo(200);
        Api.Response again = admin.post("/api/v1/nodes/" + nodeId + "/revocation", "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(admin.post("/api/v1/nodes/" + nodeId + "/secret", "").problemType()).isEqualTo("urn:vcc:problem:node-revoked");

        // No status polls once revoked: two poll rounds that began after the revocation reach the node with none.
        Instant firstRound = pollRoundAfter(revokedAt);
        double polls = statusCalls();
        pollRoundAfter(firstRound);
        assertThat(statusCalls()).isEqualTo(polls);
        assertThat(admin.get("/api/v1/nodes/" + nodeId).text("status")).isEqualTo("REVOKED");

        assertThat(admin.get("/api/v1/nodes/" + nodeId + "/credential-history").json().findValuesAsString("kind"))
                .containsExactly("ROTATION_STARTED", "ROTATED", "REVOKED", "LOCKED");
        assertThat(admin.get("/api/v1/nodes/" + nodeId + "/credential-history").json().findValuesAsString("actor"))
                .containsOnly("admin");
    }

    private Api.Response nodeLogin(String secret) {
        String username = server.getBean(JdbcClient.class).sql("select username from node").query(String.class).single();
        return Api.anonymous(nodeUrl).post("/node/v1/sessions", "{\"username\":\"" + username + "\",\"secret\":\"" + secret + "\"}");
    }

    /** The node's secret as the server holds it. */
    private String storedSecret() {
        String sealed = server.getBean(JdbcClient.class).sql("select secret_encrypted from node").query(String.class).single();
        try {
            byte[] bytes = Base64.getDecoder().decode(sealed);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(SECRET_KEY), "AES"),
                    new GCMParameterSpec(128, bytes, 0, 12));
            return new String(cipher.doFinal(bytes, 12, bytes.length - 12), StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the server's status-poll task to finish a round after {@code after}; when it did. */
    private Instant pollRoundAfter(Instant after) {
        JdbcClient jdbc = server.getBean(JdbcClient.class);
        return await().atMost(Duration.ofSeconds(60)).until(() -> jdbc
                        .sql("select last_success from scheduled_tasks where task_name = 'node-status'")
                        .query(OffsetDateTime.class).optional().map(OffsetDateTime::toInstant).orElse(Instant.EPOCH),
                done -> done.isAfter(after));
    }

    private double statusCalls() {
        Timer timer = node.getBean(MeterRegistry.class).find("http.server.requests").tag("uri", "/node/v1/status").timer();
        return timer == null ? 0 : timer.count();
    }
}
