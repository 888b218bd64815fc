package io.vcc.server.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * For tests of the login and stream limits: the real password encoder, counting how often it hashes, and
 * a clock the test moves forward instead of waiting.
 */
@TestConfiguration(proxyBeanMethods = false)
public class LimitsTestConfiguration {

    @Bean
    @Primary
    CountingPasswordEncoder countingPasswordEncoder() {
        return new CountingPasswordEncoder(PasswordEncoderFactories.createDelegatingPasswordEncoder());
    }

    @Bean
    @Primary
    MovableClock movableClock() {
        return new MovableClock();
    }

    public static final class CountingPasswordEncoder implements PasswordEncoder {

        private final PasswordEncoder real;
        private final AtomicInteger matches = new AtomicInteger();

        CountingPasswordEncoder(PasswordEncoder real) {
            this.real = real;
        }

        public int matches() {
            return matches.get();
        }

        @Override
        public String encode(CharSequence rawPassword) {
            return real.encode(rawPassword);
        }

        @Override
        public boolean matches(CharSequence rawPassword, String encodedPassword) {
            matches.incrementAndGet();
            return real.matches(rawPassword, encodedPassword);
        }

        @Override
        public boolean upgradeEncoding(String encodedPassword) {
            return real.upgradeEncoding(encodedPassword);
        }
    }

    public static final class MovableClock extends Clock {

        private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

        public void advance(Duration by) {
            offset.updateAndGet(current -> current.plus(by));
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
            return Instant.now().plus(offset.get());
        }
    }
}
