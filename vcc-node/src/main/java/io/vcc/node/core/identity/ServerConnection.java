package io.vcc.node.core.identity;

import io.vcc.api.node.NodeRegistrationApi;
import io.vcc.node.core.NodeProperties;
import io.vcc.support.client.RemoteProblems;
import io.vcc.support.tls.PinnedAuthority;
import io.vcc.support.tls.TlsContexts;
import io.vcc.support.tls.TlsProperties;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

/**
 * The node's client of the server. Before registration it trusts the server's CA pinned by its SHA-256
 * ({@code vcc.node.server-ca-sha256}), else the CAs the operator gave ({@code vcc.tls.trust}), else the JDK's;
 * once registered, the CA it learnt and its own certificate, which authenticates it for renewals.
 */
@Component
class ServerConnection {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final NodeProperties properties;
    private final TlsProperties tlsProperties;
    private final TlsContexts tls;

    ServerConnection(NodeProperties properties, TlsProperties tlsProperties, TlsContexts tls) {
        this.properties = properties;
        this.tlsProperties = tlsProperties;
        this.tls = tls;
    }

    /** The CA certificate the installer pinned, fetched from the server; null without a pin. */
    X509Certificate pinnedAuthority() {
        String pin = properties.serverCaSha256();
        return pin == null || pin.isBlank() ? null : PinnedAuthority.fetch(properties.serverUrl(), pin, TIMEOUT);
    }

    /** For the registration: trusts {@code pinned} when given. */
    NodeRegistrationApi bootstrap(X509Certificate pinned) {
        if (!tls.enabled()) {
            return api(null);
        }
        try {
            if (pinned != null) {
                return api(TlsContexts.sslContext(null, List.of(), List.of(pinned)));
            }
            if (!tls.files().managed() || isConfiguredTrust()) {
                return api(tls.sslContext());
            }
            return api(SSLContext.getDefault());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Once registered: the CA learnt at registration, and this node's certificate presented. */
    NodeRegistrationApi registered() {
        return api(tls.enabled() ? tls.sslContext() : null);
    }

    private boolean isConfiguredTrust() {
        return tlsProperties.trust() != null && !tlsProperties.trust().isBlank();
    }

    private NodeRegistrationApi api(SSLContext ssl) {
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(TIMEOUT);
        if (ssl != null) {
            http.sslContext(ssl);
        }
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http.build());
        factory.setReadTimeout(TIMEOUT);
        RestClient rest = RestClient.builder()
                .baseUrl(properties.serverUrl())
                .requestFactory(factory)
                .defaultStatusHandler(status -> status.isError(), (request, response) -> {
                    throw RemoteProblems.read(response, properties.serverUrl());
                })
                .build();
        return HttpServiceProxyFactory.builderFor(RestClientAdapter.create(rest)).build().createClient(NodeRegistrationApi.class);
    }
}
