package io.vcc.server.tenant;

import static io.vcc.server.ApiCalls.assertProblem;
import static io.vcc.server.ApiCalls.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

import io.vcc.server.ApiSlice;
import io.vcc.server.security.AccountService;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;

/** The tenant API's answers to bad bodies, without a database: each is its problem, and nothing is asked of the directory. */
@WebMvcTest(TenantController.class)
@Import(ApiSlice.class)
class TenantControllerSliceTest {

    @Autowired
    MockMvc mvc;
    @MockitoBean
    TenantDirectory tenants;
    @MockitoBean
    AccountService accounts;

    @Test
    void brokenJsonIsAMalformedRequest() throws Exception {
        JsonNode problem = assertProblem(call(mvc, post("/api/v1/tenants"), ApiSlice.admin(), "{\"name\": \"broken\"", 400),
                "malformed-request");
        assertThat(problem.path("status").asInt()).isEqualTo(400);
        verifyNoInteractions(tenants, accounts);
    }

    @Test
    void aMissingOrMisspelledNameIsAValidationProblemNamingTheField() throws Exception {
        JsonNode missing = assertProblem(call(mvc, post("/api/v1/tenants"), ApiSlice.admin(), "{}", 400), "validation");
        assertThat(missing.path("errors").has("name")).isTrue();
        JsonNode invalid = assertProblem(call(mvc, post("/api/v1/tenants"), ApiSlice.admin(), "{\"name\":\"Not Valid!\"}", 400),
                "validation");
        assertThat(invalid.path("errors").path("name").asString()).contains("lower-case");
        verifyNoInteractions(tenants, accounts);
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeItIsParsed() throws Exception {
        String huge = "{\"name\":\"x\",\"displayName\":\"" + "a".repeat(2 * 1024 * 1024) + "\"}";
        assertProblem(call(mvc, post("/api/v1/tenants"), ApiSlice.admin(), huge, 400), "request-too-large");
        verifyNoInteractions(tenants, accounts);
    }

    @Test
    void aUserWithAShortPasswordOrNoRoleIsNotCreated() throws Exception {
        String users = "/api/v1/tenants/" + UUID.randomUUID() + "/users";
        JsonNode shortPassword = assertProblem(call(mvc, post(users), ApiSlice.admin(),
                "{\"username\":\"ann\",\"password\":\"short\",\"role\":\"TENANT_USER\"}", 400), "validation");
        assertThat(shortPassword.path("errors").path("password").asString()).contains("12 characters");
        JsonNode noRole = assertProblem(call(mvc, post(users), ApiSlice.admin(),
                "{\"username\":\"ann\",\"password\":\"long-enough-password\"}", 400), "validation");
        assertThat(noRole.path("errors").has("role")).isTrue();
        assertProblem(call(mvc, post(users), ApiSlice.admin(),
                "{\"username\":\"ann\",\"password\":\"long-enough-password\",\"role\":\"ROOT\"}", 400), "malformed-request");
        verifyNoInteractions(tenants, accounts);
    }

    @Test
    void aNetworkQuotaOutsideTheTagSpaceIsRefused() throws Exception {
        String quota = "/api/v1/tenants/" + UUID.randomUUID() + "/network-quota";
        JsonNode problem = assertProblem(call(mvc, put(quota), ApiSlice.admin(), "{\"networks\":4095}", 400), "validation");
        assertThat(problem.path("errors").has("networks")).isTrue();
        assertProblem(call(mvc, put(quota), ApiSlice.admin(), "{\"networks\":-1}", 400), "validation");
        assertProblem(call(mvc, put("/api/v1/tenants/not-a-uuid/network-quota"), ApiSlice.admin(), "{\"networks\":1}", 400),
                "malformed-request");
        verifyNoInteractions(tenants, accounts);
    }

    /** The control: the same slice passes a good body on, so the refusals above are the validation's doing. */
    @Test
    void aGoodTenantReachesTheDirectory() throws Exception {
        UUID id = UUID.randomUUID();
        given(tenants.create(any(), any())).willReturn(new TenantView(id, "acme", "Acme", null, Instant.now()));
        MvcResult created = call(mvc, post("/api/v1/tenants"), ApiSlice.admin(), "{\"name\":\"acme\",\"displayName\":\"Acme\"}", 201);
        assertThat(created.getResponse().getHeader("Location")).isEqualTo("/api/v1/tenants/" + id);
    }
}
