package io.vcc.server.security;

import java.util.UUID;

/**
 * Credentials stopped being valid: one API token ({@code tokenId}), a user ({@code userId}, deleted), or
 * every user of a tenant ({@code tenantId}, deleted). Whatever outlives a request, like an event stream,
 * ends when it was opened with them.
 */
public record CredentialsRevoked(UUID userId, UUID tokenId, UUID tenantId) {

    static CredentialsRevoked token(UUID userId, UUID tokenId) {
        return new CredentialsRevoked(userId, tokenId, null);
    }

    static CredentialsRevoked user(UUID userId) {
        return new CredentialsRevoked(userId, null, null);
    }

    static CredentialsRevoked tenant(UUID tenantId) {
        return new CredentialsRevoked(null, null, tenantId);
    }

    /** Whether a stream opened by this user (with this token, or {@code null} for a password) must end. */
    public boolean ends(UUID streamUserId, UUID streamTenantId, UUID streamTokenId) {
        if (tenantId != null) {
            return tenantId.equals(streamTenantId);
        }
        if (tokenId != null) {
            return tokenId.equals(streamTokenId);
        }
        return userId.equals(streamUserId);
    }
}
