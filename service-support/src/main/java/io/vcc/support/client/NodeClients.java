package io.vcc.support.client;

import io.vcc.api.node.NodeApi;
import io.vcc.api.node.SessionRequest;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.support.tls.TlsContexts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

/**
 * Clients for the node API (seed 002, FIG. 14): log in with the node's credentials, keep the short-lived
 * session token, send it with every call, and log in again when the node answers 401 (its session
 * expired or it restarted). A node that cannot be reached is {@link ProblemType#NODE_UNAVAILABLE}; a
 * node's own problem answer keeps its type.
 */
public class NodeClients {

    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final TlsContexts tls;
    private final Map<String, String> sessions = new ConcurrentHashMap<>();

    public NodeClients(Duration connectTimeout, Duration readTimeout) {
        this(connectTimeout, readTimeout, TlsContexts.disabled());
    }

    /** With TLS on, every node is called over HTTPS, its certificate checked against the trusted CAs. */
    public NodeClients(Duration connectTimeout, Duration readTimeout, TlsContexts tls) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.tls = tls;
    }

    public NodeApi nodeApi(NodeEndpoint endpoint) {
        return client(endpoint, NodeApi.class);
    }

    public <T> T client(NodeEndpoint endpoint, Class<T> api) {
        RestClient rest = restClient(endpoint, new SessionInterceptor(endpoint));
        return HttpServiceProxyFactory.builderFor(RestClientAdapter.create(rest)).build().createClient(api);
    }

    /** Forgets every session held with this node, e.g. after its credentials changed. */
    public void forget(NodeEndpoint endpoint) {
        sessions.remove(sessionKey(endpoint));
    }

    /**
     * The session token held with this node, logging in when there is none: for calls these clients cannot
     * make because they stream (their interceptors would buffer a body whole).
     */
    public String sessionToken(NodeEndpoint endpoint) {
        return sessions.computeIfAbsent(sessionKey(endpoint), key -> new SessionInterceptor(endpoint).login());
    }

    /** Forgets a token the node answered 401 to, so that the next call logs in again. */
    public void sessionRefused(NodeEndpoint endpoint, String token) {
        sessions.remove(sessionKey(endpoint), token);
    }

    /** A plain HTTP/1.1 client to the node (through its proxy, if any), for streaming calls. */
    public HttpClient httpClient(NodeEndpoint endpoint) {
        HttpClient.Builder http = builder(endpoint).version(HttpClient.Version.HTTP_1_1);
        if (endpoint.proxy() != null && !endpoint.proxy().isBlank()) {
            URI proxy = URI.create(endpoint.proxy().contains("://") ? endpoint.proxy() : "http://" + endpoint.proxy());
            http.proxy(ProxySelector.of(new InetSocketAddress(proxy.getHost(), proxy.getPort() < 0 ? 80 : proxy.getPort())));
        }
        return http.build();
    }

    private HttpClient.Builder builder(NodeEndpoint endpoint) {
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(connectTimeout);
        if (tls.enabled()) {
            if (!endpoint.baseUrl().regionMatches(true, 0, "https://", 0, 8)) {
                throw new VccProblemException(ProblemType.NODE_UNAVAILABLE, "Node at " + endpoint.baseUrl()
                        + " is not called: TLS is on and its address is plain HTTP; register it again with an https base URL");
            }
            http.sslContext(tls.sslContext());
        }
        return http;
    }

    private RestClient restClient(NodeEndpoint endpoint, ClientHttpRequestInterceptor interceptor) {
        HttpClient.Builder http = builder(endpoint);
        if (endpoint.proxy() != null && !endpoint.proxy().isBlank()) {
            URI proxy = URI.create(endpoint.proxy().contains("://") ? endpoint.proxy() : "http://" + endpoint.proxy());
            http.proxy(ProxySelector.of(new InetSocketAddress(proxy.getHost(), proxy.getPort() < 0 ? 80 : proxy.getPort())));
        }
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http.build());
        factory.setReadTimeout(readTimeout);
        return RestClient.builder()
                .baseUrl(endpoint.baseUrl())
                .requestFactory(factory)
                .requestInterceptor(interceptor)
                .defaultStatusHandler(status -> status.isError(), (request, response) -> {
                    VccProblemException problem = RemoteProblems.read(response, "Node at " + endpoint.baseUrl());
                    // Our credentials refused by the node: for our caller a node we cannot use, not their own 401.
                    throw problem.type() == ProblemType.UNAUTHORIZED
                            ? new VccProblemException(ProblemType.NODE_UNAVAILABLE, "Node at " + endpoint.baseUrl() + " refused our credentials")
                            : problem;
                })
                .build();
    }

    private static String sessionKey(NodeEndpoint endpoint) {
        return endpoint.baseUrl() + "|" + endpoint.username();
    }

    /** Adds the session token; on 401 logs in once more and repeats the call. */
    private final class SessionInterceptor implements ClientHttpRequestInterceptor {

        private final NodeEndpoint endpoint;

        SessionInterceptor(NodeEndpoint endpoint) {
            this.endpoint = endpoint;
        }

        @Override
        public ClientHttpResponse intercept(org.springframework.http.HttpRequest request, byte[] body,
                                            org.springframework.http.client.ClientHttpRequestExecution execution) throws IOException {
            if (request.getURI().getPath().endsWith("/node/v1/sessions")) {
                return send(request, body, execution);
            }
            String token = sessions.computeIfAbsent(sessionKey(endpoint), key -> login());
            request.getHeaders().set(HttpHeaders.AUTHORIZATION, "Bearer " + token);
            ClientHttpResponse response = send(request, body, execution);
            if (response.getStatusCode().value() == HttpStatus.UNAUTHORIZED.value()) {
                response.close();
                sessions.remove(sessionKey(endpoint), token);
                String fresh = sessions.computeIfAbsent(sessionKey(endpoint), key -> login());
                request.getHeaders().set(HttpHeaders.AUTHORIZATION, "Bearer " + fresh);
                response = send(request, body, execution);
            }
            return response;
        }

        private String login() {
            RestClient plain = restClient(endpoint, (request, body, execution) -> send(request, body, execution));
            NodeApi api = HttpServiceProxyFactory.builderFor(RestClientAdapter.create(plain)).build().createClient(NodeApi.class);
            return api.login(new SessionRequest(endpoint.username(), endpoint.secret())).token();
        }

        private ClientHttpResponse send(org.springframework.http.HttpRequest request, byte[] body,
                                        org.springframework.http.client.ClientHttpRequestExecution execution) {
            try {
                return execution.execute(request, body);
            } catch (IOException e) {
                throw new VccProblemException(ProblemType.NODE_UNAVAILABLE,
                        "Node at " + endpoint.baseUrl() + " is not reachable: " + e.getClass().getSimpleName()
                                + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
            }
        }
    }
}
