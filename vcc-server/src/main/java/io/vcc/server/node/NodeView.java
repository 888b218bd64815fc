package io.vcc.server.node;

import io.vcc.api.node.NodeKind;
import io.vcc.api.node.Visibility;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A registered node as the API shows it: never its credentials. {@code revokedAt/By} are null unless revoked. */
public record NodeView(UUID id, String name, NodeKind kind, Visibility visibility, String baseUrl, String proxy,
                       UUID cloudId, List<String> services, String version, NodeState status,
                       Instant statusChangedAt, Instant lastSeenAt, Instant registeredAt, Instant revokedAt,
                       String revokedBy) {
}
