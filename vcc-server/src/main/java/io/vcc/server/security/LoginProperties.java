package io.vcc.server.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits on logins ({@code vcc.security.logins.*}, listed with defaults in vcc-server.yml). Every HTTP
 * Basic login costs a bcrypt hash, so guesses are counted and refused before that work.
 *
 * @param maxFailuresPerUser    wrong passwords for one user name, each within {@code window} of the last, after
 *                              which that name is refused (429) until {@code window} after the last failure
 * @param maxFailuresPerAddress the same per client address (wrong passwords and unknown API tokens)
 * @param maxAttemptsPerAddress HTTP Basic logins (right or wrong) one client address may make per {@code window}
 * @param window                how long failures are remembered, and the period of {@code maxAttemptsPerAddress}
 * @param maxTracked            user names and addresses remembered at once (least recently seen dropped first)
 * @param remember              how long a successful password login is recognised without hashing again (0 to
 *                              hash every time)
 */
@ConfigurationProperties("vcc.security.logins")
record LoginProperties(@DefaultValue("5") int maxFailuresPerUser, @DefaultValue("20") int maxFailuresPerAddress,
                       @DefaultValue("1200") int maxAttemptsPerAddress, @DefaultValue("5m") Duration window,
                       @DefaultValue("100000") int maxTracked, @DefaultValue("1m") Duration remember) {

    LoginProperties {
        if (maxFailuresPerUser < 1 || maxFailuresPerAddress < 1 || maxAttemptsPerAddress < 1 || maxTracked < 1) {
            throw new IllegalArgumentException("vcc.security.logins limits must be at least 1");
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("vcc.security.logins.window must be positive");
        }
        if (remember.isNegative()) {
            throw new IllegalArgumentException("vcc.security.logins.remember must not be negative");
        }
    }
}
