package io.vcc.server.node;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.support.client.NodeClients;
import io.vcc.support.client.NodeEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Node calls whose bodies stream (package uploads in, OVAs out): made with a plain HTTP/1.1 client so that
 * neither request nor response body is ever held whole on the server, with the session the node API
 * clients hold. There is no overall timeout: such a call lasts as long as its bytes keep flowing.
 */
@Service
public class NodeStreams {

    private final NodeGateway gateway;
    private final Map<UUID, HttpClient> http = new ConcurrentHashMap<>();

    NodeStreams(NodeGateway gateway) {
        this.gateway = gateway;
    }

    /**
     * Sends a request to the node and answers its response with the body still to be read (the caller
     * closes it). A body-less request whose session the node no longer knows is sent once more after a new
     * login; a streaming one cannot be, so callers make a JSON call to the node first, which renews it.
     *
     * @param pathAndQuery e.g. {@code /node/v1/uploads/{id}?vdcId=...}, already encoded
     */
    public HttpResponse<InputStream> send(UUID nodeId, String method, String pathAndQuery, Map<String, String> headers,
                                          HttpRequest.BodyPublisher body, boolean streamingBody) {
        NodeEndpoint endpoint = gateway.endpoint(nodeId);
        NodeClients clients = gateway.clients();
        HttpClient client = http.computeIfAbsent(nodeId, id -> clients.httpClient(endpoint));
        for (int attempt = 0; ; attempt++) {
            String token = clients.sessionToken(endpoint);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + pathAndQuery))
                    .method(method, body).header("Authorization", "Bearer " + token);
            headers.forEach(request::header);
            HttpResponse<InputStream> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new VccProblemException(ProblemType.NODE_UNAVAILABLE, "Node at " + endpoint.baseUrl()
                        + " is not reachable: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VccProblemException(ProblemType.NODE_UNAVAILABLE, "Interrupted while calling the node", e);
            }
            if (response.statusCode() != 401) {
                return response;
            }
            close(response);
            clients.sessionRefused(endpoint, token);
            if (streamingBody || attempt > 0) {
                throw new VccProblemException(ProblemType.NODE_UNAVAILABLE, "Node at " + endpoint.baseUrl()
                        + " refused our session; try again");
            }
        }
    }

    /** The problem a node answered (type kept), read from an error response, which is closed. */
    public static VccProblemException problem(HttpResponse<InputStream> response) {
        int status = response.statusCode();
        ProblemType type = null;
        String detail = null;
        try (InputStream body = response.body()) {
            JsonNode json = JsonMapper.shared().readTree(body.readNBytes(64 * 1024));
            type = ProblemType.fromUri(URI.create(json.path("type").asString("")));
            detail = json.path("detail").asString(null);
        } catch (IOException | RuntimeException notProblem) {
            // a proxy or something else answered; go by the status
        }
        if (type == null) {
            type = status == 404 ? ProblemType.NOT_FOUND : ProblemType.NODE_ERROR;
        }
        return new VccProblemException(type, detail != null ? detail : "The node answered HTTP " + status);
    }

    public static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
