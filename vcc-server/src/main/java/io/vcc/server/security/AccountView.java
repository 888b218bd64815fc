package io.vcc.server.security;

import java.time.Instant;
import java.util.UUID;

/** An operator account as the API shows it: never its password. */
public record AccountView(UUID id, String username, Role role, UUID tenantId, Instant createdAt) {
}
