package io.vcc.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import jakarta.servlet.http.HttpSession;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * The console's login is a form and a session with CSRF, kept apart from the API: the API stays stateless with
 * Basic and tokens and takes no session cookie, and the console takes no Basic credentials.
 */
@SpringBootTest(properties = {"spring.config.name=vcc-server", "vcc.service-name=vcc-server"})
@ActiveProfiles("test")
@AutoConfigureMockMvc
class ConsoleSecurityTest {

    @Autowired
    MockMvc mvc;

    @Test
    void theConsoleSendsAnonymousUsersAndBasicCredentialsToItsLoginForm() throws Exception {
        MvcResult anonymous = mvc.perform(get("/console/vdcs")).andReturn();
        assertThat(anonymous.getResponse().getStatus()).isEqualTo(302);
        assertThat(anonymous.getResponse().getRedirectedUrl()).endsWith("/console/login");
        for (String page : new String[] {"/console/stretch-deploys", "/console/ha", "/console/ha/fragments/failovers"}) {
            MvcResult other = mvc.perform(get(page)).andReturn();
            assertThat(other.getResponse().getRedirectedUrl()).as(page).endsWith("/console/login");
        }
        assertThat(mvc.perform(post("/console/ha/failovers").with(csrf()).param("reason", "x")).andReturn().getResponse()
                .getRedirectedUrl()).endsWith("/console/login");
        MvcResult basic = mvc.perform(get("/console/vdcs").with(httpBasic("admin", "test-admin-password"))).andReturn();
        assertThat(basic.getResponse().getStatus()).isEqualTo(302);
        assertThat(mvc.perform(get("/console/login")).andReturn().getResponse().getContentAsString()).contains("name=\"_csrf\"");
    }

    @Test
    void aLoginWithoutItsCsrfTokenIsRefusedAndAWrongPasswordGoesBackToTheForm() throws Exception {
        assertThat(mvc.perform(post("/console/login").param("username", "admin").param("password", "test-admin-password"))
                .andReturn().getResponse().getStatus()).isEqualTo(403);
        MvcResult wrong = mvc.perform(post("/console/login").with(csrf()).param("username", "admin").param("password", "wrong"))
                .andReturn();
        assertThat(wrong.getResponse().getRedirectedUrl()).endsWith("/console/login?error");
    }

    @Test
    void aConsoleSessionHoldsAnApiTokenAndTheApiStaysStatelessAndTakesNoSessionCookie() throws Exception {
        MvcResult login = mvc.perform(post("/console/login").with(csrf()).param("username", "admin").param("password", "test-admin-password"))
                .andReturn();
        assertThat(login.getResponse().getRedirectedUrl()).endsWith("/console");
        HttpSession session = login.getRequest().getSession(false);
        String token = io.vcc.server.security.ConsoleSessions.apiToken(session);
        assertThat(token).startsWith("vcc_");
        // The session is no credential for the API; the session's token is, like any API token.
        assertThat(mvc.perform(get("/api/v1/tenants").session((MockHttpSession) session)).andReturn().getResponse().getStatus()).isEqualTo(401);
        assertThat(mvc.perform(get("/api/v1/tenants").header("Authorization", "Bearer " + token)).andReturn().getResponse().getStatus())
                .isEqualTo(200);
        // An API call with Basic opens no session.
        MvcResult api = mvc.perform(get("/api/v1/tenants").with(httpBasic("admin", "test-admin-password"))).andReturn();
        assertThat(api.getResponse().getStatus()).isEqualTo(200);
        assertThat(api.getRequest().getSession(false)).isNull();

        // Logging out ends the session and revokes its token.
        mvc.perform(post("/console/logout").with(csrf()).session((MockHttpSession) session)).andReturn();
        assertThat(mvc.perform(get("/api/v1/tenants").header("Authorization", "Bearer " + token)).andReturn().getResponse().getStatus())
                .isEqualTo(401);
    }
}
