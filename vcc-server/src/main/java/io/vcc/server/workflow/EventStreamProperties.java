package io.vcc.server.workflow;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits on the event streams ({@code vcc.events.*}, listed with defaults in vcc-server.yml).
 *
 * @param maxStreamsPerUser streams one user may hold open at once (per server); one more is refused with 429
 * @param credentialCheck   how often open streams are checked against their credentials: a stream whose token
 *                          expired or whose user was removed ends (a revoked token ends its streams at once)
 */
@ConfigurationProperties("vcc.events")
record EventStreamProperties(@DefaultValue("10") int maxStreamsPerUser, @DefaultValue("30s") Duration credentialCheck) {

    EventStreamProperties {
        if (maxStreamsPerUser < 1) {
            throw new IllegalArgumentException("vcc.events.max-streams-per-user must be at least 1");
        }
        if (credentialCheck.isNegative() || credentialCheck.isZero()) {
            throw new IllegalArgumentException("vcc.events.credential-check must be positive");
        }
    }
}
