package io.vcc.node.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

import io.vcc.node.core.identity.NodeIdentities;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
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

/**
 * The node's side of secret rotation (the server hands over a new secret; the old one and every session end)
 * and of guessing its secret (an address with too many wrong secrets gets 429 before any hashing).
 */
@SpringBootTest(properties = {"spring.config.name=vcc-node", "vcc.service-name=vcc-node-session-test"})
@ActiveProfiles("test")
@AutoConfigureMockMvc
class NodeCredentialsTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    NodeIdentities identities;
    @Autowired
    PasswordEncoder passwordEncoder;

    private final UUID nodeId = UUID.randomUUID();

    @AfterEach
    void unregister() {
        identities.deleteAll();
    }

    @Test
    void aNewSecretFromTheServerEndsTheOldOneAndEverySession() throws Exception {
        identities.save(NodeSessionTest.IdentityFixture.identity(nodeId, "node-" + nodeId, passwordEncoder.encode("the-first-secret")));
        String session = token(login("10.20.0.1", "the-first-secret", 201));
        String other = token(login("10.20.0.1", "the-first-secret", 201));

        String next = "n".repeat(43);
        assertThat(mvc.perform(put("/node/v1/credentials").contentType(MediaType.APPLICATION_JSON).content("{\"secret\":\"" + next + "\"}"))
                .andReturn().getResponse().getStatus()).as("without a session").isEqualTo(401);
        assertThat(mvc.perform(put("/node/v1/credentials").header("Authorization", "Bearer " + session)
                .contentType(MediaType.APPLICATION_JSON).content("{\"secret\":\"short\"}")).andReturn().getResponse().getStatus())
                .as("too short a secret").isEqualTo(400);
        assertThat(mvc.perform(put("/node/v1/credentials").header("Authorization", "Bearer " + session)
                .contentType(MediaType.APPLICATION_JSON).content("{\"secret\":\"" + next + "\"}")).andReturn().getResponse().getStatus())
                .isEqualTo(204);

        login("10.20.0.1", "the-first-secret", 401);
        assertThat(mvc.perform(get("/node/v1/status").header("Authorization", "Bearer " + other)).andReturn().getResponse().getStatus())
                .as("sessions opened with the old secret ended").isEqualTo(401);
        String fresh = token(login("10.20.0.1", next, 201));
        assertThat(mvc.perform(get("/node/v1/status").header("Authorization", "Bearer " + fresh)).andReturn().getResponse().getStatus())
                .isEqualTo(200);
    }

    @Test
    void anAddressGuessingTheSecretIsRefusedBeforeHashing() throws Exception {
        identities.save(NodeSessionTest.IdentityFixture.identity(nodeId, "node-" + nodeId, passwordEncoder.encode("the-secret-2")));
        for (int i = 0; i < 10; i++) {
            login("10.21.0.1", "guess-" + i, 401);
        }
        MvcResult refused = login("10.21.0.1", "the-secret-2", 429);
        assertThat(refused.getResponse().getHeader("Retry-After")).isNotBlank();
        assertThat(refused.getResponse().getContentType()).startsWith("application/problem+json");
        assertThat(refused.getResponse().getContentAsString()).contains("urn:vcc:problem:too-many-requests");
        // The server, from its own address, still logs in.
        login("10.21.0.2", "the-secret-2", 201);
    }

    private MvcResult login(String address, String secret, int status) throws Exception {
        MvcResult result = mvc.perform(post("/node/v1/sessions").with(request -> {
            request.setRemoteAddr(address);
            return request;
        }).contentType(MediaType.APPLICATION_JSON).content("{\"username\":\"node-" + nodeId + "\",\"secret\":\"" + secret + "\"}")).andReturn();
        assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(status);
        return result;
    }

    private static String token(MvcResult result) throws Exception {
        return JsonMapper.shared().readTree(result.getResponse().getContentAsString()).path("token").asString();
    }
}
