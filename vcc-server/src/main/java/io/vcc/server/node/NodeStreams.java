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
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLSession;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Node calls whose bodies stream (package uploads in, OVAs out): made with a plain HTTP/1.1 client so that
 * neither request nor response body is ever held whole on the server, with the session the node API
 * clients hold. There is no overall timeout: such a call lasts as long as its bytes keep flowing. A node
 * that stops taking or sending bytes for {@code vcc.nodes.stream-idle-timeout} (or does not answer an OVA
 * request within {@code vcc.nodes.stream-answer-timeout}, which covers its export) ends the call with
 * {@code node-unavailable}, freeing the thread; the connection timeout is {@code vcc.nodes.connect-timeout}.
 */
@Service
public class NodeStreams implements DisposableBean {

    private final NodeGateway gateway;
    private final NodeCallSettings settings;
    private final Map<UUID, HttpClient> http = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "node-stream-guard");
        thread.setDaemon(true);
        return thread;
    });

    NodeStreams(NodeGateway gateway, NodeCallSettings settings) {
        this.gateway = gateway;
        this.settings = settings;
    }

    /**
     * Streams {@code body} ({@code contentLength} bytes, -1 when unknown) to the node and answers its response
     * with the body still to be read (the caller closes it). The node must keep taking the body and then answer,
     * with no pause longer than the idle timeout. The session must be fresh (see {@link #send}).
     */
    public HttpResponse<InputStream> upload(UUID nodeId, String method, String pathAndQuery, Map<String, String> headers,
                                            Supplier<InputStream> body, long contentLength) {
        return exchange(nodeId, method, pathAndQuery, headers, guard -> {
            Supplier<InputStream> watched = () -> guard.fromClient(body.get());
            return contentLength == 0 ? HttpRequest.BodyPublishers.noBody()
                    : contentLength > 0 ? HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(watched), contentLength)
                    : HttpRequest.BodyPublishers.ofInputStream(watched);
        }, settings.streamIdleTimeout(), true);
    }

    /**
     * Sends a body-less request to the node and answers its response with the body still to be read (the
     * caller closes it). The node has {@code stream-answer-timeout} to answer (an OVA is exported first), and
     * then no pause in its body may last longer than the idle timeout. A request whose session the node no
     * longer knows is sent once more after a new login; a streaming one cannot be, so callers make a JSON call
     * to the node first, which renews it.
     *
     * @param pathAndQuery e.g. {@code /node/v1/uploads/{id}?vdcId=...}, already encoded
     */
    public HttpResponse<InputStream> send(UUID nodeId, String method, String pathAndQuery, Map<String, String> headers) {
        return exchange(nodeId, method, pathAndQuery, headers, guard -> HttpRequest.BodyPublishers.noBody(),
                settings.streamAnswerTimeout(), false);
    }

    private HttpResponse<InputStream> exchange(UUID nodeId, String method, String pathAndQuery, Map<String, String> headers,
                                               Function<StreamGuard, HttpRequest.BodyPublisher> body, Duration answerWithin,
                                               boolean streamingBody) {
        NodeEndpoint endpoint = gateway.endpoint(nodeId);
        NodeClients clients = gateway.clients();
        HttpClient client = http.computeIfAbsent(nodeId, id -> clients.httpClient(endpoint));
        for (int attempt = 0; ; attempt++) {
            String token = clients.sessionToken(endpoint);
            StreamGuard guard = new StreamGuard(timer, settings.streamIdleTimeout());
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint.baseUrl() + pathAndQuery))
                    .method(method, body.apply(guard)).header("Authorization", "Bearer " + token);
            headers.forEach(request::header);
            HttpResponse<InputStream> response;
            try {
                response = guard.await(answerWithin, () -> client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
                if (guard.expired()) {
                    close(response);
                    throw guard.timeout();
                }
            } catch (IOException | InterruptedException e) {
                boolean timedOut = guard.expired();
                guard.close();
                if (timedOut) {
                    throw new VccProblemException(ProblemType.NODE_UNAVAILABLE, "Node at " + endpoint.baseUrl() + " stopped answering: "
                            + guard.timeout().getMessage() + (streamingBody ? "; what it made durable stays, see the upload's offset" : ""), e);
                }
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    throw new VccProblemException(ProblemType.NODE_UNAVAILABLE, "Interrupted while calling the node", e);
                }
                throw new VccProblemException(ProblemType.NODE_UNAVAILABLE, "Node at " + endpoint.baseUrl()
                        + " is not reachable: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
            }
            if (response.statusCode() != 401) {
                return new GuardedResponse(response, guard.fromNode(response.body()));
            }
            close(response);
            guard.close();
            clients.sessionRefused(endpoint, token);
            if (streamingBody || attempt > 0) {
                throw new VccProblemException(ProblemType.NODE_UNAVAILABLE, "Node at " + endpoint.baseUrl()
                        + " refused our session; try again");
            }
        }
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }

    /** The node's response with its body read under the guard. */
    private record GuardedResponse(HttpResponse<InputStream> response, InputStream body) implements HttpResponse<InputStream> {

        @Override
        public int statusCode() {
            return response.statusCode();
        }

        @Override
        public HttpRequest request() {
            return response.request();
        }

        @Override
        public Optional<HttpResponse<InputStream>> previousResponse() {
            return response.previousResponse();
        }

        @Override
        public HttpHeaders headers() {
            return response.headers();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return response.sslSession();
        }

        @Override
        public URI uri() {
            return response.uri();
        }

        @Override
        public HttpClient.Version version() {
            return response.version();
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
