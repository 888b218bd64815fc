package io.vcc.support.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The counting behind login limits, with a clock the test moves. */
class AttemptLimiterTest {

    private final MovingClock clock = new MovingClock();

    @Test
    void failuresEachWithinTheWindowOfTheLastBlockUntilTheWindowAfterTheLast() {
        AttemptLimiter limiter = new AttemptLimiter(3, 1000, Duration.ofMinutes(5), 100, clock);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.check("alice")).isEmpty();
            limiter.failed("alice");
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(limiter.check("alice")).contains(Duration.ofMinutes(4));
        assertThat(limiter.check("bob")).as("other keys are not affected").isEmpty();
        clock.advance(Duration.ofMinutes(4));
        assertThat(limiter.check("alice")).isEmpty();
    }

    @Test
    void aSuccessClearsFailuresAndOldFailuresAreForgotten() {
        AttemptLimiter limiter = new AttemptLimiter(2, 1000, Duration.ofMinutes(5), 100, clock);
        limiter.failed("alice");
        limiter.succeeded("alice");
        limiter.failed("alice");
        assertThat(limiter.check("alice")).isEmpty();
        clock.advance(Duration.ofMinutes(6));
        limiter.failed("alice");
        assertThat(limiter.check("alice")).as("the earlier failure is older than the window").isEmpty();
    }

    @Test
    void attemptsAreLimitedPerWindowAndRefusedOnesAreNotCounted() {
        AttemptLimiter limiter = new AttemptLimiter(100, 3, Duration.ofMinutes(1), 100, clock);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.check("10.0.0.1")).isEmpty();
        }
        assertThat(limiter.check("10.0.0.1")).contains(Duration.ofMinutes(1));
        assertThat(limiter.blocked("10.0.0.2")).isEmpty();
        clock.advance(Duration.ofSeconds(61));
        assertThat(limiter.check("10.0.0.1")).isEmpty();
    }

    @Test
    void theNumberOfKeysIsBoundedAndRetryAfterRoundsUp() {
        AttemptLimiter limiter = new AttemptLimiter(1, 1000, Duration.ofMinutes(5), 2, clock);
        limiter.failed("a");
        limiter.failed("b");
        limiter.failed("c");
        assertThat(limiter.blocked("a")).as("the least recently used key was dropped").isEmpty();
        assertThat(limiter.blocked("c")).isPresent();
        assertThat(AttemptLimiter.retryAfterSeconds(Duration.ofMillis(1500))).isEqualTo(2);
        assertThat(AttemptLimiter.retryAfterSeconds(Duration.ofMillis(1))).isEqualTo(1);
    }

    private static final class MovingClock extends Clock {

        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
