package io.vcc.server.security;

import static io.vcc.server.ApiCalls.assertProblem;
import static io.vcc.server.ApiCalls.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.vcc.server.ApiSlice;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;

/** The token API's answers to bad input, without a database: each is its problem, and no token is stored or looked up. */
@WebMvcTest(TokenController.class)
@Import(ApiSlice.class)
class TokenControllerSliceTest {

    @Autowired
    MockMvc mvc;
    @MockitoBean
    ApiTokens tokens;
    @MockitoBean
    Clock clock;

    @Test
    void aTokenWithoutNameIsAValidationProblem() throws Exception {
        JsonNode blank = assertProblem(call(mvc, post("/api/v1/tokens"), ApiSlice.admin(), "{\"name\":\" \"}", 400), "validation");
        assertThat(blank.path("errors").has("name")).isTrue();
        JsonNode tooLong = assertProblem(call(mvc, post("/api/v1/tokens"), ApiSlice.admin(), "{\"name\":\"" + "n".repeat(101) + "\"}", 400),
                "validation");
        assertThat(tooLong.path("errors").has("name")).isTrue();
        verifyNoInteractions(tokens, clock);
    }

    @Test
    void aLifetimeOutsideOneDayToTenYearsIsRefused() throws Exception {
        for (String days : new String[] {"0", "-3", "3651"}) {
            JsonNode problem = assertProblem(call(mvc, post("/api/v1/tokens"), ApiSlice.admin(),
                    "{\"name\":\"ci\",\"expiresInDays\":" + days + "}", 400), "validation");
            assertThat(problem.path("errors").has("expiresInDays")).as(days).isTrue();
        }
        assertProblem(call(mvc, post("/api/v1/tokens"), ApiSlice.admin(), "{\"name\":\"ci\",\"expiresInDays\":\"soon\"}", 400),
                "malformed-request");
        verifyNoInteractions(tokens, clock);
    }

    @Test
    void revokingAnIdThatIsNoUuidIsMalformed() throws Exception {
        assertProblem(call(mvc, delete("/api/v1/tokens/not-a-uuid"), ApiSlice.admin(), null, 400), "malformed-request");
        verifyNoInteractions(tokens, clock);
    }
}
