package io.vcc.node.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.vcc.node.core.identity.NodeIdentities;
import io.vcc.node.core.identity.NodeIdentity;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.json.JsonMapper;

/** Login, then service calls (seed 002, FIG. 14): nothing but login and health answers without a session. */
@SpringBootTest(properties = {"spring.config.name=vcc-node", "vcc.service-name=vcc-node-session-test"})
@ActiveProfiles("test")
@AutoConfigureMockMvc
class NodeSessionTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    NodeIdentities identities;
    @Autowired
    PasswordEncoder passwordEncoder;

    @Test
    void onlyTheRegisteredCredentialsOpenASessionAndOnlyASessionOpensTheNodeApi() throws Exception {
        assertThat(login("node-x", "whatever").getResponse().getStatus()).as("unregistered node").isEqualTo(401);

        UUID nodeId = UUID.randomUUID();
        identities.save(IdentityFixture.identity(nodeId, "node-" + nodeId, passwordEncoder.encode("the-secret")));

        assertThat(mvc.perform(get("/node/v1/status")).andReturn().getResponse().getStatus()).isEqualTo(401);
        MvcResult wrong = login("node-" + nodeId, "not-the-secret");
        assertThat(wrong.getResponse().getStatus()).isEqualTo(401);
        assertThat(wrong.getResponse().getContentType()).startsWith("application/problem+json");
        assertThat(login("someone-else", "the-secret").getResponse().getStatus()).isEqualTo(401);

        MvcResult ok = login("node-" + nodeId, "the-secret");
        assertThat(ok.getResponse().getStatus()).isEqualTo(201);
        String token = JsonMapper.shared().readTree(ok.getResponse().getContentAsString()).path("token").asString();

        MvcResult status = mvc.perform(get("/node/v1/status").header("Authorization", "Bearer " + token)).andReturn();
        assertThat(status.getResponse().getStatus()).isEqualTo(200);
        assertThat(status.getResponse().getContentAsString()).contains(nodeId.toString(), "\"hypervisorAdapter\":\"sim\"");
        assertThat(mvc.perform(get("/node/v1/status").header("Authorization", "Bearer made-up")).andReturn()
                .getResponse().getStatus()).isEqualTo(401);
        assertThat(mvc.perform(get("/actuator/health")).andReturn().getResponse().getStatus()).isEqualTo(200);
        assertThat(mvc.perform(get("/v3/api-docs")).andReturn().getResponse().getContentAsString())
                .contains("/node/v1/sessions", "/node/v1/vdcs/{vdcId}/vms");
    }

    private MvcResult login(String username, String secret) throws Exception {
        return mvc.perform(post("/node/v1/sessions").contentType(MediaType.APPLICATION_JSON)
                .content("{\"username\":\"" + username + "\",\"secret\":\"" + secret + "\"}")).andReturn();
    }

    /** Builds the identity registration would store, without a server. */
    static final class IdentityFixture {
        static NodeIdentity identity(UUID nodeId, String username, String secretHash) {
            return NodeIdentity.registered(nodeId, username, secretHash, "http://server.invalid", Instant.now());
        }
    }
}
