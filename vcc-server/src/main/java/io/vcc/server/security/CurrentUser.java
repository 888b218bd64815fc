package io.vcc.server.security;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.util.UUID;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The operator of the current request, and the tenant every query of theirs is restricted to. */
public final class CurrentUser {

    private CurrentUser() {
    }

    public static VccPrincipal get() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null) {
            Object principal = authentication.getPrincipal();
            if (principal instanceof AccountDetails details) {
                return details.principal();
            }
            if (principal instanceof VccPrincipal vcc) {
                return vcc;
            }
        }
        throw new VccProblemException(ProblemType.UNAUTHORIZED, "Valid credentials are required");
    }

    /** The API token the current request was authenticated with, or {@code null} for a password. */
    public static UUID apiTokenId() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getDetails() instanceof TokenDetails details ? details.tokenId() : null;
    }

    /**
     * The tenant the current operator is confined to, or {@code null} for an admin. Repositories take this
     * value so isolation holds in the query itself: another tenant's row is simply not found.
     */
    public static UUID tenantScope() {
        return get().tenantId();
    }
}
