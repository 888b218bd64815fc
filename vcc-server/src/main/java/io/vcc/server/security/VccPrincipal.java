package io.vcc.server.security;

import java.util.UUID;

/** The authenticated operator. {@code tenantId} is null exactly for {@link Role#ADMIN}. */
public record VccPrincipal(UUID userId, String username, Role role, UUID tenantId) {

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
