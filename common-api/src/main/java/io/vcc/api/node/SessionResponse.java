package io.vcc.api.node;

import java.time.Instant;

/** A short-lived session token; send it as {@code Authorization: Bearer <token>}. */
public record SessionResponse(String token, Instant expiresAt) {
}
