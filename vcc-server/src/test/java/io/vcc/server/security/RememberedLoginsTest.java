package io.vcc.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;

/** A login whose password was checked while the user's credentials were revoked is not remembered after it. */
class RememberedLoginsTest {

    private final RememberedLogins logins = new RememberedLogins(Duration.ofMinutes(1), Clock.systemUTC());
    private final UUID userId = UUID.randomUUID();
    private final Authentication login = new UsernamePasswordAuthenticationToken(
            new AccountDetails(new VccPrincipal(userId, "ann", Role.TENANT_ADMIN, UUID.randomUUID()), "hash"), null, List.of());

    @Test
    void aLoginCheckedBeforeItsUserWasDeletedIsNotRememberedAfterwards() {
        long before = logins.revocations();
        logins.on(CredentialsRevoked.user(userId));
        logins.remember("ann", "secret-1", login, before);

        assertThat(logins.recall("ann", "secret-1")).isEmpty();
    }

    @Test
    void aLoginCheckedAfterARevocationIsRemembered() {
        logins.on(CredentialsRevoked.user(UUID.randomUUID()));
        logins.remember("ann", "secret-1", login, logins.revocations());

        assertThat(logins.recall("ann", "secret-1")).contains(login);
        assertThat(logins.recall("ann", "secret-2")).isEmpty();
    }
}
