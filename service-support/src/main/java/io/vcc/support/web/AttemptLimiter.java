package io.vcc.support.web;

import io.vcc.api.problem.ProblemType;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Limits login attempts per key (a user name, a client address) so that guessing costs the guesser, not
 * the server: a key with {@code maxFailures} failures, each within {@code window} of the one before, is
 * refused until {@code window} after its last failure; a key with {@code maxAttempts} attempts in the
 * current window is refused until the window ends. Callers ask {@link #check} before doing the expensive
 * part (a bcrypt hash), so a refused attempt costs a map lookup. A success clears a key's failures.
 * <p>
 * Held in memory per process and bounded to {@code maxKeys} keys (least recently used dropped first), so
 * random user names cannot fill the heap.
 */
public final class AttemptLimiter {

    private final int maxFailures;
    private final int maxAttempts;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Counts> counts;

    public AttemptLimiter(int maxFailures, int maxAttempts, Duration window, int maxKeys, Clock clock) {
        this.maxFailures = maxFailures;
        this.maxAttempts = maxAttempts;
        this.window = window;
        this.clock = clock;
        this.counts = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Counts> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /**
     * Empty when an attempt under every key may go ahead (and counts it), else how long until it may. A
     * refused attempt is not counted, so being refused does not extend the wait.
     */
    public synchronized Optional<Duration> check(String... keys) {
        Optional<Duration> wait = blocked(keys);
        if (wait.isEmpty()) {
            Instant now = clock.instant();
            for (String key : keys) {
                counts.computeIfAbsent(key, k -> new Counts()).attempt(now);
            }
        }
        return wait;
    }

    /** Like {@link #check} without counting an attempt: for attempts that cost too little to count. */
    public synchronized Optional<Duration> blocked(String... keys) {
        Instant now = clock.instant();
        Duration wait = Duration.ZERO;
        for (String key : keys) {
            Counts c = counts.get(key);
            if (c != null) {
                Duration blocked = c.blockedFor(now);
                if (blocked.compareTo(wait) > 0) {
                    wait = blocked;
                }
            }
        }
        return wait.isZero() ? Optional.empty() : Optional.of(wait);
    }

    /** The attempt under these keys failed (wrong password, unknown token). */
    public synchronized void failed(String... keys) {
        Instant now = clock.instant();
        for (String key : keys) {
            counts.computeIfAbsent(key, k -> new Counts()).failure(now);
        }
    }

    /** The attempt under this key succeeded: its earlier failures no longer count. */
    public synchronized void succeeded(String key) {
        Counts c = counts.get(key);
        if (c != null) {
            c.failures = 0;
        }
    }

    private final class Counts {

        int failures;
        Instant lastFailure = Instant.EPOCH;
        int attempts;
        Instant windowStart = Instant.EPOCH;

        Duration blockedFor(Instant now) {
            Duration wait = Duration.ZERO;
            Instant failuresEnd = lastFailure.plus(window);
            if (failures >= maxFailures && failuresEnd.isAfter(now)) {
                wait = Duration.between(now, failuresEnd);
            }
            Instant attemptsEnd = windowStart.plus(window);
            if (attempts >= maxAttempts && attemptsEnd.isAfter(now)) {
                Duration attemptsWait = Duration.between(now, attemptsEnd);
                if (attemptsWait.compareTo(wait) > 0) {
                    wait = attemptsWait;
                }
            }
            return wait;
        }

        void attempt(Instant now) {
            if (!windowStart.plus(window).isAfter(now)) {
                windowStart = now;
                attempts = 0;
            }
            attempts++;
        }

        void failure(Instant now) {
            if (!lastFailure.plus(window).isAfter(now)) {
                failures = 0;
            }
            failures++;
            lastFailure = now;
        }
    }

    /** Answers 429 {@code too-many-requests} with {@code Retry-After}. */
    public static void refuse(HttpServletResponse response, Duration wait, String detail) throws IOException {
        long seconds = retryAfterSeconds(wait);
        response.setHeader("Retry-After", Long.toString(seconds));
        ProblemResponses.write(response, ProblemType.TOO_MANY_REQUESTS, detail + "; try again in " + seconds + " s");
    }

    /** Seconds for a {@code Retry-After} header: rounded up, at least 1. */
    public static long retryAfterSeconds(Duration wait) {
        long seconds = wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
