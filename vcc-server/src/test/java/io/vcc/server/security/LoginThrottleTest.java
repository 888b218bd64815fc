package io.vcc.server.security;

import static io.vcc.server.ApiCalls.assertProblem;
import static io.vcc.server.ApiCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.vcc.server.ApiCalls;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * Guessing passwords or tokens: after a few failures per user name or client address the server answers
 * 429 with {@code Retry-After} without hashing anything, and lets the user in again once the window has
 * passed. Each test uses its own user names and addresses (the counts live as long as the context).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.config.name=vcc-server", "vcc.service-name=vcc-server", "vcc.events.max-streams-per-user=2"})
@ActiveProfiles("test")
@AutoConfigureMockMvc
@Import(LimitsTestConfiguration.class)
class LoginThrottleTest {

    private static final RequestPostProcessor ADMIN = httpBasic("admin", "test-admin-password");

    @Autowired
    MockMvc mvc;
    @Autowired
    LimitsTestConfiguration.CountingPasswordEncoder encoder;
    @Autowired
    LimitsTestConfiguration.MovableClock clock;

    @Test
    void theSixthWrongPasswordInARowIs429WithoutHashingAndTheUserGetsInAfterTheWindow() throws Exception {
        String user = newUser("right-password-1");
        String address = "10.1.0.1";
        for (int i = 0; i < 5; i++) {
            assertProblem(call(get("/api/v1/tenants"), from(address, httpBasic(user, "wrong-" + i)), 401), "unauthorized");
        }
        int hashed = encoder.matches();
        MvcResult refused = call(get("/api/v1/tenants"), from(address, httpBasic(user, "wrong-5")), 429);
        assertProblem(refused, "too-many-requests");
        assertThat(Long.parseLong(refused.getResponse().getHeader("Retry-After"))).isBetween(1L, 300L);
        // Locked means locked: the right password from elsewhere is not even checked now.
        assertProblem(call(get("/api/v1/tenants"), from("10.1.0.2", httpBasic(user, "right-password-1")), 429), "too-many-requests");
        assertThat(encoder.matches()).as("no password was hashed for a refused login").isEqualTo(hashed);
        // Another user from the same address is not locked out by these failures.
        call(get("/api/v1/tenants"), from(address, ADMIN), 200);

        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        call(get("/api/v1/tenants"), from(address, httpBasic(user, "right-password-1")), 200);
        // The success cleared the count: one more slip is an ordinary 401.
        assertProblem(call(get("/api/v1/tenants"), from(address, httpBasic(user, "wrong-again")), 401), "unauthorized");
    }

    @Test
    void repeatedGoodLoginsAreNotHashedAgainNorSlowed() throws Exception {
        String user = newUser("right-password-3");
        call(get("/api/v1/tenants"), from("10.5.0.1", httpBasic(user, "right-password-3")), 200);
        int hashed = encoder.matches();
        for (int i = 0; i < 30; i++) {
            call(get("/api/v1/tenants"), from("10.5.0.1", httpBasic(user, "right-password-3")), 200);
        }
        assertThat(encoder.matches()).as("a login that just succeeded is recognised without bcrypt").isEqualTo(hashed);
        // A different password is no match for the remembered one.
        assertProblem(call(get("/api/v1/tenants"), from("10.5.0.1", httpBasic(user, "right-password-3x")), 401), "unauthorized");
    }

    @Test
    void anAddressTryingManyUserNamesIsStoppedBeforeHashing() throws Exception {
        String address = "10.2.0.1";
        for (int i = 0; i < 20; i++) {
            assertProblem(call(get("/api/v1/tenants"), from(address, httpBasic("nobody-" + UUID.randomUUID(), "guess")), 401),
                    "unauthorized");
        }
        int hashed = encoder.matches();
        assertProblem(call(get("/api/v1/tenants"), from(address, httpBasic("nobody-" + UUID.randomUUID(), "guess")), 429),
                "too-many-requests");
        assertProblem(call(get("/api/v1/tenants"), from(address, ADMIN), 429), "too-many-requests");
        assertThat(encoder.matches()).isEqualTo(hashed);
        // The admin elsewhere is not affected.
        call(get("/api/v1/tenants"), from("10.2.0.2", ADMIN), 200);
    }

    @Test
    void guessedApiTokensAreCountedPerAddressToo() throws Exception {
        String address = "10.3.0.1";
        for (int i = 0; i < 20; i++) {
            assertProblem(call(get("/api/v1/tenants"), from(address, bearer("vcc_guess" + i)), 401), "unauthorized");
        }
        MvcResult refused = call(get("/api/v1/tenants"), from(address, bearer("vcc_guess20")), 429);
        assertProblem(refused, "too-many-requests");
        assertThat(refused.getResponse().getHeader("Retry-After")).isNotBlank();
        String token = json(call(post("/api/v1/tokens"), ADMIN, "{\"name\":\"elsewhere\"}", 201)).path("token").asString();
        call(get("/api/v1/tenants"), from("10.3.0.2", bearer(token)), 200);
    }

    @Test
    void aLockedOutUserStillWorksWithTheirApiToken() throws Exception {
        String user = newUser("right-password-2");
        String token = json(call(post("/api/v1/tokens"), httpBasic(user, "right-password-2"), "{\"name\":\"script\"}", 201))
                .path("token").asString();
        for (int i = 0; i < 6; i++) {
            call(get("/api/v1/tenants"), from("10.4.0." + i, httpBasic(user, "wrong")), i < 5 ? 401 : 429);
        }
        call(get("/api/v1/tenants"), from("10.4.0.9", bearer(token)), 200);
    }

    @Test
    void aRememberedLoginEndsWhenItsUserIsDeleted() throws Exception {
        String name = "t" + UUID.randomUUID().toString().substring(0, 8);
        String tenant = json(call(post("/api/v1/tenants"), ADMIN, "{\"name\":\"" + name + "\"}", 201)).path("id").asString();
        String userId = json(call(post("/api/v1/tenants/" + tenant + "/users"), ADMIN,
                "{\"username\":\"" + name + "-u\",\"password\":\"right-password-6\",\"role\":\"TENANT_ADMIN\"}", 201)).path("id").asString();
        call(get("/api/v1/tenants"), from("10.6.0.1", httpBasic(name + "-u", "right-password-6")), 200);

        call(delete("/api/v1/tenants/" + tenant + "/users/" + userId), ADMIN, 204);
        assertProblem(call(get("/api/v1/tenants"), from("10.6.0.1", httpBasic(name + "-u", "right-password-6")), 401), "unauthorized");
    }

    private String newUser(String password) throws Exception {
        String name = "t" + UUID.randomUUID().toString().substring(0, 8);
        String tenant = json(call(post("/api/v1/tenants"), ADMIN, "{\"name\":\"" + name + "\"}", 201)).path("id").asString();
        call(post("/api/v1/tenants/" + tenant + "/users"), ADMIN,
                "{\"username\":\"" + name + "-u\",\"password\":\"" + password + "\",\"role\":\"TENANT_ADMIN\"}", 201);
        return name + "-u";
    }

    static RequestPostProcessor from(String address, RequestPostProcessor auth) {
        return request -> {
            request.setRemoteAddr(address);
            return auth.postProcessRequest(request);
        };
    }

    static RequestPostProcessor bearer(String token) {
        return request -> {
            request.addHeader("Authorization", "Bearer " + token);
            return request;
        };
    }

    private MvcResult call(MockHttpServletRequestBuilder request, RequestPostProcessor auth, int status) throws Exception {
        return ApiCalls.call(mvc, request, auth, null, status);
    }

    private MvcResult call(MockHttpServletRequestBuilder request, RequestPostProcessor auth, String body, int status) throws Exception {
        return ApiCalls.call(mvc, request, auth, body, status);
    }
}
