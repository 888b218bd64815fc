package io.vcc.server.tenant;

import java.time.Instant;
import java.util.UUID;

/** A tenant; {@code name} is also its organization name in every cloud. */
public record TenantView(UUID id, String name, String displayName, Instant createdAt) {
}
