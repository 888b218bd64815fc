package io.vcc.node.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

import io.micrometer.core.instrument.MeterRegistry;
import io.vcc.node.core.identity.NodeIdentities;
import io.vcc.node.core.identity.NodeIdentity;
import java.time.Instant;
import java.util.Base64;
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
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The node's datapath API with a real Netty datapath on loopback: sessions, setup, validation, live state. */
@SpringBootTest(properties = {"spring.config.name=vcc-node", "vcc.service-name=vcc-node-datapath-test",
        "vcc.datapath.enabled=true", "vcc.datapath.local-vtep=127.0.0.1:0", "vcc.datapath.tunnel=127.0.0.1:0",
        "vcc.datapath.event-loops=1"})
@ActiveProfiles("test")
@AutoConfigureMockMvc
class DatapathApiTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Autowired
    MockMvc mvc;
    @Autowired
    NodeIdentities identities;
    @Autowired
    PasswordEncoder passwordEncoder;
    @Autowired
    MeterRegistry meters;

    @Test
    void theServerProgramsTheTagMapThroughASessionAndTheNodeRefusesWhatDoesNotFit() throws Exception {
        assertThat(call(get("/node/v1/datapath"), null, null).getResponse().getStatus()).isEqualTo(401);
        String session = session();

        JsonNode before = json(call(get("/node/v1/datapath"), session, null), 200);
        assertThat(before.path("enabled").asBoolean()).isTrue();
        assertThat(before.path("running").asBoolean()).isFalse();
        assertProblem(call(put("/node/v1/datapath/segments/5001"), session, segment("127.0.0.1:4789")), 409, "invalid-state");

        JsonNode running = json(call(put("/node/v1/datapath"), session, "{\"datacenterTag\":7}"), 200);
        assertThat(running.path("running").asBoolean()).isTrue();
        assertThat(running.path("datacenterTag").asInt()).isEqualTo(7);
        assertThat(running.path("tunnel").asString()).startsWith("127.0.0.1:").doesNotEndWith(":0");
        assertThat(running.path("mtu").path("maxTenantMtu").asInt()).isPositive();

        assertProblem(call(put("/node/v1/datapath/peers/node-b"), session,
                "{\"datacenterTag\":7,\"tunnelAddress\":\"127.0.0.1:4790\"}"), 400, "validation");
        assertProblem(call(put("/node/v1/datapath/peers/node-b"), session,
                "{\"datacenterTag\":8,\"tunnelAddress\":\"127.0.0.1:4790\",\"key\":{\"id\":1,\"secret\":\"c2hvcnQ=\"}}"), 400, "validation");
        assertProblem(call(put("/node/v1/datapath/segments/5001"), session, segment("no-port")), 400, "validation");
        assertProblem(call(put("/node/v1/datapath"), session, "{\"datacenterTag\":4095}"), 400, "validation");

        call(put("/node/v1/datapath/peers/node-b"), session,
                "{\"datacenterTag\":8,\"tunnelAddress\":\"127.0.0.1:4790\",\"key\":{\"id\":1,\"secret\":\"" + KEY + "\"}}", 204);
        call(put("/node/v1/datapath/segments/5001"), session, segment("127.0.0.1:4789"), 204);
        MvcResult programmed = call(get("/node/v1/datapath"), session, null);
        assertThat(programmed.getResponse().getContentAsString()).doesNotContain(KEY);
        JsonNode state = json(programmed, 200);
        assertThat(state.path("segments").get(0).path("hostTag").asInt()).isEqualTo(100);
        assertThat(state.path("segments").get(0).path("peers").get(0).asString()).isEqualTo("node-b");
        assertThat(state.path("peers").get(0).path("currentKeyId").asInt()).isEqualTo(1);
        assertThat(meters.find("vcc.datapath.frames.received").tag("segment", "5001").functionCounters()).isNotEmpty();

        // A second segment with the same tag pair would make two networks one: refused, the first untouched.
        assertProblem(call(put("/node/v1/datapath/segments/5002"), session, segment("127.0.0.1:4789")), 400, "validation");
        call(delete("/node/v1/datapath/segments/5001"), session, null, 204);
        call(delete("/node/v1/datapath/segments/5001"), session, null, 204);
        call(delete("/node/v1/datapath/peers/node-b"), session, null, 204);
        JsonNode emptied = json(call(get("/node/v1/datapath"), session, null), 200);
        assertThat(emptied.path("segments").size()).isZero();
        assertThat(emptied.path("peers").size()).isZero();
        assertThat(meters.find("vcc.datapath.frames.received").tag("segment", "5001").functionCounters()).isEmpty();
    }

    private static String segment(String vtep) {
        return "{\"network\":\"acme/web\",\"hostTag\":100,\"customerTag\":200,\"localVteps\":[\"" + vtep + "\"],\"peers\":[\"node-b\"]}";
    }

    private String session() throws Exception {
        UUID nodeId = UUID.randomUUID();
        identities.save(NodeIdentity.registered(nodeId, "node-" + nodeId, passwordEncoder.encode("the-secret"),
                "http://server.invalid", Instant.now()));
        MvcResult login = mvc.perform(post("/node/v1/sessions").contentType(MediaType.APPLICATION_JSON)
                .content("{\"username\":\"node-" + nodeId + "\",\"secret\":\"the-secret\"}")).andReturn();
        return JsonMapper.shared().readTree(login.getResponse().getContentAsString()).path("token").asString();
    }

    private MvcResult call(MockHttpServletRequestBuilder request, String session, String body) throws Exception {
        if (session != null) {
            request.header("Authorization", "Bearer " + session);
        }
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).content(body);
        }
        return mvc.perform(request).andReturn();
    }

    private void call(MockHttpServletRequestBuilder request, String session, String body, int status) throws Exception {
        MvcResult result = call(request, session, body);
        assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(status);
    }

    private static JsonNode json(MvcResult result, int status) throws Exception {
        assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(status);
        return JsonMapper.shared().readTree(result.getResponse().getContentAsString());
    }

    private static void assertProblem(MvcResult result, int status, String type) throws Exception {
        JsonNode problem = json(result, status);
        assertThat(problem.path("type").asString()).isEqualTo("urn:vcc:problem:" + type);
    }
}
