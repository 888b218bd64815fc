package io.vcc.node.core.session;

import io.vcc.api.node.SessionResponse;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.core.NodeProperties;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Short-lived session tokens handed out at login. Kept in memory on purpose: a node restart ends every
 * session, and clients simply log in again when they get a 401.
 */
@Component
public class Sessions {

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> byToken = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final NodeProperties properties;
    private final Clock clock;

    public Sessions(NodeProperties properties, ObjectProvider<Clock> clock) {
        this.properties = properties;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /**
     * Read before a login looks at the secret, and given to {@link #open}: a login that checked a secret
     * replaced meanwhile opens no session, however the two interleave.
     */
    public long generation() {
        return generation.get();
    }

    public SessionResponse open(String username) {
        return open(username, generation.get());
    }

    /** Opens a session, unless every session was ended since {@code generation} was read. */
    public synchronized SessionResponse open(String username, long generation) {
        if (generation != this.generation.get()) {
            throw new VccProblemException(ProblemType.UNAUTHORIZED, "The node's secret changed during this login; log in again");
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expiresAt = clock.instant().plus(properties.sessionTtl());
        byToken.put(token, new Session(username, expiresAt));
        byToken.values().removeIf(session -> session.expiresAt().isBefore(clock.instant()));
        return new SessionResponse(token, expiresAt);
    }

    /** Ends every session, e.g. when the secret they were opened with is replaced (call after that is committed). */
    public synchronized void endAll() {
        generation.incrementAndGet();
        byToken.clear();
    }

    /** The user of a live session, or empty when the token is unknown or expired. */
    public Optional<String> user(String token) {
        Session session = byToken.get(token);
        if (session == null) {
            return Optional.empty();
        }
        if (session.expiresAt().isBefore(clock.instant())) {
            byToken.remove(token);
            return Optional.empty();
        }
        return Optional.of(session.username());
    }

    private record Session(String username, Instant expiresAt) {
    }
}
