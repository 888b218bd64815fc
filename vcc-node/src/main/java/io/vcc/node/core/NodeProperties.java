package io.vcc.node.core;

import io.vcc.api.node.CloudType;
import io.vcc.api.node.NodeKind;
import io.vcc.api.node.Visibility;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a node is installed (seed 002, FIG. 13): who it is, where the server is, and the one-time token it
 * registers with. Environment variables bind too: {@code VCC_NODE_SERVER_URL}, {@code VCC_NODE_REGISTRATION_TOKEN}…
 * With TLS, {@code serverCaSha256} pins the server's CA (the SHA-256 of its certificate) so the node can trust
 * the server before it has anything else to trust it with.
 */
@ConfigurationProperties("vcc.node")
public record NodeProperties(
        String name,
        @DefaultValue("VCC") NodeKind kind,
        @DefaultValue("PRIVATE") Visibility visibility,
        String baseUrl,
        String proxy,
        Cloud cloud,
        String serverUrl,
        String registrationToken,
        String serverCaSha256,
        @DefaultValue List<String> services,
        @DefaultValue("15m") Duration sessionTtl,
        @DefaultValue("5s") Duration registrationRetry) {

    public record Cloud(String name, @DefaultValue("VDC_MANAGER") CloudType type, String url, boolean multiTenant) {
    }
}
