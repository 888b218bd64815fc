package io.vcc.server.security;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/** An API token as listed: never the secret itself. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record TokenView(UUID id, String name, Instant createdAt, Instant expiresAt, Instant revokedAt) {
}
