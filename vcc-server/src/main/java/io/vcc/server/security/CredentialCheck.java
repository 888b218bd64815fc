package io.vcc.server.security;

import java.time.Clock;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Whether credentials a long-lived request was opened with are still good, for re-checking it later. */
@Service
@Transactional(readOnly = true)
public class CredentialCheck {

    private final Accounts accounts;
    private final ApiTokens tokens;
    private final Clock clock;

    CredentialCheck(Accounts accounts, ApiTokens tokens, Clock clock) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** The user still exists and, when {@code tokenId} is given, that token is neither revoked nor expired. */
    public boolean stillValid(UUID userId, UUID tokenId) {
        if (!accounts.existsById(userId)) {
            return false;
        }
        return tokenId == null || tokens.findById(tokenId).filter(token -> token.usableAt(clock.instant())).isPresent();
    }
}
