package io.vcc.server.security;

import static io.vcc.server.ApiCalls.assertProblem;
import static io.vcc.server.ApiCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.vcc.server.ApiCalls;
import io.vcc.server.workflow.OperationChanged;
import io.vcc.server.workflow.OperationView;
import io.vcc.server.workflow.RunState;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Event streams over real HTTP: a user holds at most {@code vcc.events.max-streams-per-user} (2 here), a
 * stream ends when the token that opened it is revoked or its user is deleted, and a stream whose client went
 * away without a word is released by the heartbeats (every 200 ms here). The timeouts only keep
 * a broken build from hanging: a stream that is not ended would block the read forever (in a thread of its
 * own, as a blocked HTTP read ignores interrupts).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=vcc-server", "vcc.service-name=vcc-server", "vcc.events.max-streams-per-user=2",
                "vcc.events.heartbeat=200ms"})
@ActiveProfiles("test")
@AutoConfigureMockMvc
@Import(LimitsTestConfiguration.class)
class EventStreamLimitsTest {

    private static final RequestPostProcessor ADMIN = httpBasic("admin", "test-admin-password");

    @Autowired
    MockMvc mvc;
    @Autowired
    ApplicationEventPublisher events;
    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aUserHoldsAtMostTheAllowedStreams() throws Exception {
        String[] user = newUser();
        HttpResponse<InputStream> first = open(basic(user));
        HttpResponse<InputStream> second = open(basic(user));
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(nextLine(first)).isEqualTo(":subscribed");
        assertThat(nextLine(second)).isEqualTo(":subscribed");

        HttpResponse<InputStream> third = open(basic(user));
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(third.headers().firstValue("Retry-After")).isPresent();
        JsonNode problem = JsonMapper.shared().readTree(third.body().readAllBytes());
        assertThat(problem.path("type").asString()).isEqualTo("urn:vcc:problem:too-many-requests");
        assertThat(problem.path("detail").asString()).contains("2 event streams");
        // The admin is another user: not affected by this user's streams.
        HttpResponse<InputStream> admin = open("Basic " + Base64.getEncoder().encodeToString("admin:test-admin-password".getBytes()));
        assertThat(admin.statusCode()).isEqualTo(200);
        admin.body().close();

        // Deleting the user ends their streams and frees the places.
        ApiCalls.call(mvc, delete("/api/v1/tenants/" + user[2] + "/users/" + user[3]), ADMIN, null, 204);
        assertThat(rest(first)).as("the deleted user's stream ended").isBlank();
        assertThat(rest(second)).isBlank();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aRevokedTokenEndsTheStreamsItOpenedAndOnlyThose() throws Exception {
        String[] user = newUser();
        JsonNode created = json(ApiCalls.call(mvc, post("/api/v1/tokens"), httpBasic(user[0], user[1]), "{\"name\":\"sse\"}", 201));
        HttpResponse<InputStream> byToken = open("Bearer " + created.path("token").asString());
        HttpResponse<InputStream> byPassword = open(basic(user));
        assertThat(nextLine(byToken)).isEqualTo(":subscribed");
        assertThat(nextLine(byPassword)).isEqualTo(":subscribed");

        ApiCalls.call(mvc, delete("/api/v1/tokens/" + created.path("id").asString()), httpBasic(user[0], user[1]), null, 204);
        assertThat(rest(byToken)).as("the token's stream ended").isBlank();

        // The token's place is free again, and the password stream still holds the other one.
        HttpResponse<InputStream> again = open(basic(user));
        assertThat(again.statusCode()).as("the revoked token's place is free").isEqualTo(200);
        assertThat(open(basic(user)).statusCode()).as("the password stream is still open").isEqualTo(429);
        again.body().close();
        byPassword.body().close();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aStreamWhoseClientLeftIsReleasedByTheHeartbeats() throws Exception {
        String[] user = newUser();
        HttpResponse<InputStream> kept = open(basic(user));
        assertThat(nextLine(kept)).isEqualTo(":subscribed");
        // A browser leaving the page: the connection closes, and nothing is said to the server.
        try (Socket left = new Socket("localhost", port)) {
            left.getOutputStream().write(("GET /api/v1/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
                    + "Authorization: " + basic(user) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(left.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(answer).isEqualTo("HTTP/1.1 200");
        }

        // Both places are taken until a heartbeat's write to the closed connection fails; then one is free.
        HttpResponse<InputStream> next = open(basic(user));
        for (int tries = 0; next.statusCode() == 429 && tries < 100; tries++) {
            next.body().close();
            Thread.sleep(100);
            next = open(basic(user));
        }
        assertThat(next.statusCode()).as("the place of the stream whose client left is free again").isEqualTo(200);
        assertThat(nextLine(next)).isEqualTo(":subscribed");
        assertThat(open(basic(user)).statusCode()).as("the kept stream and the new one hold both places").isEqualTo(429);
        assertThat(nextLine(kept)).as("the kept stream still gets heartbeats").isEqualTo(":heartbeat");
        kept.body().close();
        next.body().close();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aViewReadBeforeAnOperationEndedIsNotSentAfterItsEnd() throws Exception {
        String[] user = newUser();
        UUID tenant = UUID.fromString(user[2]);
        HttpResponse<InputStream> stream = open(basic(user));
        assertThat(nextLine(stream)).isEqualTo(":subscribed");
        UUID operation = UUID.randomUUID();
        UUID marker = UUID.randomUUID();

        // As the engine's threads can publish: running, ended, then a view one of them read before the end.
        events.publishEvent(new OperationChanged(tenant, view(operation, RunState.RUNNING)));
        events.publishEvent(new OperationChanged(tenant, view(operation, RunState.CANCELLED)));
        events.publishEvent(new OperationChanged(tenant, view(operation, RunState.RUNNING)));
        events.publishEvent(new OperationChanged(tenant, view(marker, RunState.RUNNING)));

        List<String> states = new ArrayList<>();
        for (String line = nextLine(stream); !line.contains(marker.toString()); line = nextLine(stream)) {
            if (line.startsWith("data:")) {
                states.add(JsonMapper.shared().readTree(line.substring(5)).path("state").asString());
            }
        }
        assertThat(states).containsExactly("RUNNING", "CANCELLED");
        stream.body().close();
    }

    private static OperationView view(UUID id, RunState state) {
        Instant now = Instant.now();
        return new OperationView(id, "transfer", state, null, false, state == RunState.CANCELLED, 0, 0, null, null, now, now,
                state.terminal() ? now : null, null, null, Map.of(), List.of());
    }

    private HttpResponse<InputStream> open(String authorization) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/events"))
                .header("Authorization", authorization).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    /** Reads up to the end of the next line that is not blank (an event's end), leaving the rest of the stream. */
    private static String nextLine(HttpResponse<InputStream> response) throws Exception {
        StringBuilder line = new StringBuilder();
        InputStream body = response.body();
        for (int c = body.read(); c != -1 && (c != '\n' || line.isEmpty()); c = body.read()) {
            if (c != '\n') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    /** What the stream still sends until it ends (a read that returns only when the server closes it), heartbeats left out. */
    private static String rest(HttpResponse<InputStream> response) throws Exception {
        return new String(response.body().readAllBytes(), StandardCharsets.UTF_8).replace(":heartbeat", "");
    }

    private static String basic(String[] user) {
        return "Basic " + Base64.getEncoder().encodeToString((user[0] + ":" + user[1]).getBytes(StandardCharsets.UTF_8));
    }

    /** User name, password, tenant id, user id. */
    private String[] newUser() throws Exception {
        String name = "t" + UUID.randomUUID().toString().substring(0, 8);
        String tenant = json(ApiCalls.call(mvc, post("/api/v1/tenants"), ADMIN, "{\"name\":\"" + name + "\"}", 201)).path("id").asString();
        String id = json(ApiCalls.call(mvc, post("/api/v1/tenants/" + tenant + "/users"), ADMIN,
                "{\"username\":\"" + name + "-u\",\"password\":\"stream-password-1\",\"role\":\"TENANT_USER\"}", 201)).path("id").asString();
        return new String[] {name + "-u", "stream-password-1", tenant, id};
    }
}
