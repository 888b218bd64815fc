package io.vcc.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Calls to the operator API in MockMvc tests, and the checks every problem answer must pass. */
public final class ApiCalls {

    private ApiCalls() {
    }

    /** Sends the request (as {@code auth}, with a JSON {@code body} when given) and checks the status. */
    public static MvcResult call(MockMvc mvc, MockHttpServletRequestBuilder request, RequestPostProcessor auth, String body,
                                 int status) throws Exception {
        if (auth != null) {
            request.with(auth);
        }
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).content(body);
        }
        MvcResult result = mvc.perform(request).andReturn();
        assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(status);
        return result;
    }

    public static JsonNode json(MvcResult result) throws Exception {
        return JsonMapper.shared().readTree(result.getResponse().getContentAsString());
    }

    /** The answer is problem+json of our type {@code urn:vcc:problem:<type>} with a detail a person can act on. */
    public static JsonNode assertProblem(MvcResult result, String type) throws Exception {
        assertThat(result.getResponse().getContentType()).startsWith("application/problem+json");
        JsonNode problem = json(result);
        assertThat(problem.path("type").asString()).isEqualTo("urn:vcc:problem:" + type);
        assertThat(problem.path("detail").asString()).isNotBlank();
        return problem;
    }
}
