package io.vcc.server;

import static io.vcc.server.ApiCalls.assertProblem;
import static io.vcc.server.ApiCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.util.UUID;
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
import tools.jackson.databind.JsonNode;

/**
 * The operator API on a real (embedded) PostgreSQL: authentication, roles, API tokens, registration
 * tokens and bad input. Every refused request is checked to have changed nothing.
 */
@SpringBootTest(properties = {"spring.config.name=vcc-server", "vcc.service-name=vcc-server"})
@ActiveProfiles("test")
@AutoConfigureMockMvc
class ServerApiTest {

    private static final RequestPostProcessor ADMIN = httpBasic("admin", "test-admin-password");

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;

    private String tenant;

    @BeforeEach
    void tenantWithUsers() throws Exception {
        String name = "t" + UUID.randomUUID().toString().substring(0, 8);
        tenant = json(call(post("/api/v1/tenants"), ADMIN, "{\"name\":\"" + name + "\"}", 201)).path("id").asString();
        call(post("/api/v1/tenants/" + tenant + "/users"), ADMIN,
                "{\"username\":\"" + name + "-admin\",\"password\":\"tenant-admin-pw\",\"role\":\"TENANT_ADMIN\"}", 201);
        call(post("/api/v1/tenants/" + tenant + "/users"), ADMIN,
                "{\"username\":\"" + name + "-user\",\"password\":\"tenant-user-pw1\",\"role\":\"TENANT_USER\"}", 201);
    }

    private RequestPostProcessor tenantAdmin() {
        return httpBasic(tenantName() + "-admin", "tenant-admin-pw");
    }

    private RequestPostProcessor tenantUser() {
        return httpBasic(tenantName() + "-user", "tenant-user-pw1");
    }

    private String tenantName() {
        return jdbc.sql("select name from tenant where id = ?").param(UUID.fromString(tenant)).query(String.class).single();
    }

    @Test
    void requestsWithoutValidCredentialsAre401ProblemsAndOpenEndpointsStayOpen() throws Exception {
        assertProblem(call(get("/api/v1/tenants"), null, null, 401), "unauthorized");
        assertProblem(call(get("/api/v1/tenants"), httpBasic("admin", "wrong"), null, 401), "unauthorized");
        assertThat(call(get("/actuator/health"), null, null, 200).getResponse().getContentAsString()).contains("UP");
        assertThat(call(get("/v3/api-docs"), null, null, 200).getResponse().getContentAsString())
                .contains("/api/v1/vdcs", "/api/v1/node-registrations", "/api/v1/tokens");
    }

    @Test
    void apiTokensAreShownOnceWorkAsBearerAndStopWorkingWhenRevoked() throws Exception {
        JsonNode created = json(call(post("/api/v1/tokens"), tenantAdmin(), "{\"name\":\"script\",\"expiresInDays\":1}", 201));
        String token = created.path("token").asString();
        assertThat(token).startsWith("vcc_");
        String stored = jdbc.sql("select token_hash from api_token where id = ?")
                .param(UUID.fromString(created.path("id").asString())).query(String.class).single();
        assertThat(stored).hasSize(64).doesNotContain(token);

        RequestPostProcessor bearer = request -> {
            request.addHeader("Authorization", "Bearer " + token);
            return request;
        };
        assertThat(json(call(get("/api/v1/tenants"), bearer, null, 200)).findValuesAsString("id")).containsExactly(tenant);
        assertThat(call(get("/api/v1/tokens"), tenantAdmin(), null, 200).getResponse().getContentAsString())
                .contains("script").doesNotContain(token);

        call(delete("/api/v1/tokens/" + created.path("id").asString()), tenantAdmin(), null, 204);
        assertProblem(call(get("/api/v1/tenants"), bearer, null, 401), "unauthorized");
        // Someone else's token id is not theirs to revoke.
        assertProblem(call(delete("/api/v1/tokens/" + created.path("id").asString()), tenantUser(), null, 404), "not-found");
    }

    @Test
    void expiredTokensAreRefused() throws Exception {
        JsonNode created = json(call(post("/api/v1/tokens"), tenantUser(), "{\"name\":\"old\",\"expiresInDays\":1}", 201));
        jdbc.sql("update api_token set expires_at = now() - interval '1 minute' where id = ?")
                .param(UUID.fromString(created.path("id").asString())).update();
        RequestPostProcessor bearer = request -> {
            request.addHeader("Authorization", "Bearer " + created.path("token").asString());
            return request;
        };
        assertProblem(call(get("/api/v1/tenants"), bearer, null, 401), "unauthorized");
    }

    @Test
    void tenantRolesAreConfinedToTheirTenantAndTheirRole() throws Exception {
        assertProblem(call(post("/api/v1/tenants"), tenantAdmin(), "{\"name\":\"sneaky\"}", 403), "forbidden");
        assertProblem(call(post("/api/v1/node-registrations"), tenantAdmin(), "{}", 403), "forbidden");
        assertProblem(call(get("/api/v1/nodes"), tenantUser(), null, 403), "forbidden");
        // The refusal says which role is needed and which the caller has: something to ask an admin for.
        assertThat(assertProblem(call(post("/api/v1/tenants/" + tenant + "/users"), tenantUser(),
                "{\"username\":\"another-one\",\"password\":\"another-password\",\"role\":\"TENANT_USER\"}", 403), "forbidden")
                .path("detail").asString()).isEqualTo("This needs the TENANT_ADMIN role; you have TENANT_USER");
        assertThat(assertProblem(call(get("/api/v1/nodes"), tenantAdmin(), null, 403), "forbidden").path("detail").asString())
                .isEqualTo("This needs the ADMIN role; you have TENANT_ADMIN");
        assertProblem(call(post("/api/v1/tenants/" + tenant + "/users"), tenantAdmin(),
                "{\"username\":\"root-wannabe\",\"password\":\"another-password\",\"role\":\"ADMIN\"}", 400), "validation");
        assertThat(count("app_user where username in ('another-one', 'root-wannabe')")).isZero();
        assertThat(count("tenant where name = 'sneaky'")).isZero();

        String other = json(call(post("/api/v1/tenants"), ADMIN, "{\"name\":\"o" + UUID.randomUUID().toString().substring(0, 8) + "\"}", 201)).path("id").asString();
        assertProblem(call(get("/api/v1/tenants/" + other), tenantAdmin(), null, 404), "not-found");
        assertProblem(call(get("/api/v1/tenants/" + other + "/users"), tenantAdmin(), null, 404), "not-found");
        assertProblem(call(get("/api/v1/tenants/" + other + "/clouds/" + UUID.randomUUID() + "/vms"), tenantAdmin(), null, 404), "not-found");
        assertThat(json(call(get("/api/v1/vdcs?tenantId=" + other), tenantAdmin(), null, 200)).size()).isZero();
    }

    @Test
    void badBodiesGetTheirProblemTypeAndChangeNothing() throws Exception {
        long tenants = count("tenant");
        assertProblem(call(post("/api/v1/tenants"), ADMIN, "{\"name\": \"broken\"", 400), "malformed-request");
        JsonNode missing = assertProblem(call(post("/api/v1/tenants"), ADMIN, "{}", 400), "validation");
        assertThat(missing.path("errors").has("name")).isTrue();
        JsonNode invalid = assertProblem(call(post("/api/v1/tenants"), ADMIN, "{\"name\":\"Not Valid!\"}", 400), "validation");
        assertThat(invalid.path("errors").path("name").asString()).contains("lower-case");
        JsonNode badEnum = assertProblem(call(post("/api/v1/clouds"), ADMIN,
                "{\"name\":\"c1\",\"type\":\"MAINFRAME\"}", 400), "malformed-request");
        assertThat(badEnum.path("detail").asString()).contains("MAINFRAME").contains("VDC_MANAGER");
        String huge = "{\"name\":\"x\",\"displayName\":\"" + "a".repeat(2 * 1024 * 1024) + "\"}";
        assertProblem(call(post("/api/v1/tenants"), ADMIN, huge, 400), "request-too-large");
        assertProblem(call(get("/api/v1/vdcs/not-a-uuid"), ADMIN, null, 400), "malformed-request");
        assertProblem(call(get("/api/v1/vdcs/" + UUID.randomUUID()), ADMIN, null, 404), "not-found");
        assertThat(count("tenant")).isEqualTo(tenants);
        assertThat(count("cloud where name = 'c1'")).isZero();
    }

    @Test
    void cloudsAreSharedReadingAndAdminWriting() throws Exception {
        String name = "c" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode cloud = json(call(post("/api/v1/clouds"), ADMIN,
                "{\"name\":\"" + name + "\",\"type\":\"CLOUD_DIRECTOR\",\"url\":\"https://director.example/api\",\"multiTenant\":true}", 201));
        assertThat(cloud.path("multiTenant").asBoolean()).isTrue();
        assertProblem(call(post("/api/v1/clouds"), ADMIN, "{\"name\":\"" + name + "\",\"type\":\"THIRD_PARTY\"}", 409), "duplicate");
        assertThat(json(call(get("/api/v1/clouds"), tenantUser(), null, 200)).findValuesAsString("name")).contains(name);
        assertProblem(call(delete("/api/v1/clouds/" + cloud.path("id").asString()), tenantAdmin(), null, 403), "forbidden");
        assertProblem(call(post("/api/v1/clouds"), tenantAdmin(), "{\"name\":\"mine\",\"type\":\"THIRD_PARTY\"}", 403), "forbidden");
        call(delete("/api/v1/clouds/" + cloud.path("id").asString()), ADMIN, null, 204);
        assertProblem(call(get("/api/v1/clouds/" + cloud.path("id").asString()), ADMIN, null, 404), "not-found");
    }

    @Test
    void duplicatesAreConflicts() throws Exception {
        assertProblem(call(post("/api/v1/tenants"), ADMIN, "{\"name\":\"" + tenantName() + "\"}", 409), "duplicate");
        assertProblem(call(post("/api/v1/tenants/" + tenant + "/users"), ADMIN,
                "{\"username\":\"" + tenantName() + "-user\",\"password\":\"whatever-password\",\"role\":\"TENANT_USER\"}", 409), "duplicate");
    }

    @Test
    void registrationTokensAreOneTimeExpiringAndStoredHashed() throws Exception {
        JsonNode issued = json(call(post("/api/v1/node-registrations"), ADMIN, "{\"note\":\"n1\",\"validMinutes\":5}", 201));
        String token = issued.path("token").asString();
        assertThat(count("node_registration where token_hash = '" + token + "'")).isZero();
        assertThat(call(get("/api/v1/node-registrations"), ADMIN, null, 200).getResponse().getContentAsString()).doesNotContain(token);

        String name = "n" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode registered = json(call(post("/api/v1/nodes/register"), null, registration(token, name), 201));
        assertThat(registered.path("secret").asString()).isNotBlank();
        String storedSecret = jdbc.sql("select secret_encrypted from node where name = ?").param(name).query(String.class).single();
        assertThat(storedSecret).doesNotContain(registered.path("secret").asString());

        long nodes = count("node");
        assertProblem(call(post("/api/v1/nodes/register"), null, registration(token, name + "x"), 409), "registration-token-used");
        assertProblem(call(post("/api/v1/nodes/register"), null, registration("vccreg_nope", name + "y"), 401), "registration-token-invalid");

        JsonNode second = json(call(post("/api/v1/node-registrations"), ADMIN, "{\"validMinutes\":5}", 201));
        jdbc.sql("update node_registration set expires_at = now() - interval '1 second' where id = ?")
                .param(UUID.fromString(second.path("id").asString())).update();
        assertProblem(call(post("/api/v1/nodes/register"), null, registration(second.path("token").asString(), name + "z"), 401),
                "registration-token-invalid");
        JsonNode third = json(call(post("/api/v1/node-registrations"), ADMIN, "{}", 201));
        assertProblem(call(post("/api/v1/nodes/register"), null, registration(third.path("token").asString(), name), 409), "duplicate");
        assertProblem(call(post("/api/v1/nodes/register"), null, "{\"registrationToken\":\"" + third.path("token").asString() + "\"}", 400), "validation");
        assertThat(count("node")).isEqualTo(nodes);
        assertThat(count("node_registration where id = '" + third.path("id").asString() + "' and used_at is null")).isEqualTo(1);
    }

    private static String registration(String token, String name) {
        return "{\"registrationToken\":\"" + token + "\",\"name\":\"" + name + "\",\"kind\":\"VCC\",\"visibility\":\"PUBLIC\","
                + "\"baseUrl\":\"http://localhost:1\",\"cloudName\":\"" + name + "-cloud\",\"cloudType\":\"THIRD_PARTY\","
                + "\"services\":[\"inventory\"],\"version\":\"test\"}";
    }

    private MvcResult call(MockHttpServletRequestBuilder request, RequestPostProcessor auth, String body, int status) throws Exception {
        return ApiCalls.call(mvc, request, auth, body, status);
    }

    private long count(String fromWhere) {
        return jdbc.sql("select count(*) from " + fromWhere).query(Long.class).single();
    }
}
