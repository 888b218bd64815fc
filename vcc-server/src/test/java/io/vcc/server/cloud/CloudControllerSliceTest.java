package io.vcc.server.cloud;

import static io.vcc.server.ApiCalls.assertProblem;
import static io.vcc.server.ApiCalls.call;
import static io.vcc.server.ApiCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.vcc.api.node.CloudType;
import io.vcc.server.ApiSlice;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;

/** The cloud API's answers to bad input, without a database: each is its problem, and the directory is not asked. */
@WebMvcTest(CloudController.class)
@Import(ApiSlice.class)
class CloudControllerSliceTest {

    @Autowired
    MockMvc mvc;
    @MockitoBean
    CloudDirectory clouds;

    @Test
    void anUnknownCloudTypeIsMalformedAndNamesTheKnownOnes() throws Exception {
        JsonNode problem = assertProblem(call(mvc, post("/api/v1/clouds"), ApiSlice.admin(), "{\"name\":\"c1\",\"type\":\"MAINFRAME\"}", 400),
                "malformed-request");
        assertThat(problem.path("detail").asString()).contains("MAINFRAME").contains("VDC_MANAGER");
        verifyNoInteractions(clouds);
    }

    @Test
    void aCloudWithoutTypeOrWithABadNameIsAValidationProblem() throws Exception {
        JsonNode noType = assertProblem(call(mvc, post("/api/v1/clouds"), ApiSlice.admin(), "{\"name\":\"c1\"}", 400), "validation");
        assertThat(noType.path("errors").has("type")).isTrue();
        JsonNode badName = assertProblem(call(mvc, post("/api/v1/clouds"), ApiSlice.admin(),
                "{\"name\":\"-c1\",\"type\":\"THIRD_PARTY\"}", 400), "validation");
        assertThat(badName.path("errors").path("name").asString()).contains("lower-case");
        verifyNoInteractions(clouds);
    }

    @Test
    void aBlankVtepRangeIsRefusedWithoutTouchingTheCloud() throws Exception {
        JsonNode problem = assertProblem(call(mvc, patch("/api/v1/clouds/" + UUID.randomUUID()), ApiSlice.admin(),
                "{\"vtepRanges\":[\"10.0.0.0/8\",\" \"]}", 400), "validation");
        assertThat(problem.path("errors").toString()).contains("vtepRanges");
        verifyNoInteractions(clouds);
    }

    @Test
    void anIdThatIsNoUuidIsMalformed() throws Exception {
        assertProblem(call(mvc, get("/api/v1/clouds/not-a-uuid"), ApiSlice.admin(), null, 400), "malformed-request");
        verifyNoInteractions(clouds);
    }

    /** The control: a good cloud passes the same slice and reaches the directory. */
    @Test
    void aGoodCloudReachesTheDirectory() throws Exception {
        UUID id = UUID.randomUUID();
        given(clouds.create(any(), any(), any(), anyBoolean()))
                .willReturn(new CloudView(id, "c1", CloudType.THIRD_PARTY, null, false, List.of(), Instant.now()));
        JsonNode created = json(call(mvc, post("/api/v1/clouds"), ApiSlice.admin(),
                "{\"name\":\"c1\",\"type\":\"THIRD_PARTY\"}", 201));
        assertThat(created.path("id").asString()).isEqualTo(id.toString());
    }
}
