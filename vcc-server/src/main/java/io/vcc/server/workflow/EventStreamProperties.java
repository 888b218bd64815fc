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
 * @param heartbeat         how often every open stream gets a comment line: a client that went away without a word
 *                          (a browser that left the page) is noticed only by a write that fails, and until then its
 *                          stream counts against the user's limit; it also keeps proxies from closing a quiet stream
 */
@ConfigurationProperties("vcc.events")
record EventStreamProperties(@DefaultValue("10") int maxStreamsPerUser, @DefaultValue("30s") Duration credentialCheck,
        @DefaultValue("10s") Duration heartbeat) {

    EventStreamProperties {
        if (maxStreamsPerUser < 1) {
            throw new IllegalArgumentException("vcc.events.max-streams-per-user must be at least 1");
        }
        if (credentialCheck.isNegative() || credentialCheck.isZero()) {
            throw new IllegalArgumentException("vcc.events.credential-check must be positive");
        }
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("vcc.events.heartbeat must be positive");
        }
    }
}
