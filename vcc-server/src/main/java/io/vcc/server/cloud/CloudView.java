package io.vcc.server.cloud;

import io.vcc.api.node.CloudType;
import java.time.Instant;
import java.util.UUID;

public record CloudView(UUID id, String name, CloudType type, String url, boolean multiTenant, Instant createdAt) {
}
