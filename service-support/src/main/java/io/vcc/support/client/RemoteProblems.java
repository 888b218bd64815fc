package io.vcc.support.client;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.client.ClientHttpResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads another vcc service's problem answer back into a {@link VccProblemException} of the same type. */
public final class RemoteProblems {

    private RemoteProblems() {
    }

    /** The problem another vcc service answered, with its type kept; {@code who} names the service in messages. */
    public static VccProblemException read(ClientHttpResponse response, String who) throws IOException {
        int status = response.getStatusCode().value();
        byte[] body = response.getBody().readNBytes(64 * 1024);
        ProblemType type = null;
        String detail = null;
        try {
            JsonNode json = JsonMapper.shared().readTree(body);
            type = ProblemType.fromUri(URI.create(json.path("type").asString("")));
            detail = json.path("detail").asString(null);
        } catch (RuntimeException notJson) {
            // a proxy or a foreign server answered; fall through to the status code
        }
        if (type == null) {
            type = status == 404 ? ProblemType.NOT_FOUND : status == 401 ? ProblemType.UNAUTHORIZED : ProblemType.NODE_ERROR;
        }
        return new VccProblemException(type, detail != null ? detail : who + " answered HTTP " + status);
    }
}
