package io.vcc.server.security;

import io.vcc.support.web.AttemptLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Counts logins per user name and per client address (see {@link LoginProperties}). User names and
 * addresses are counted apart so that one address cannot lock out the world, and many addresses cannot
 * guess one user's password: each is limited on its own.
 */
class LoginThrottle {

    private final AttemptLimiter users;
    private final AttemptLimiter addresses;

    LoginThrottle(LoginProperties properties, Clock clock) {
        // Users are limited on failures only: honest use by one user from many places is not slowed.
        this.users = new AttemptLimiter(properties.maxFailuresPerUser(), Integer.MAX_VALUE, properties.window(),
                properties.maxTracked(), clock);
        this.addresses = new AttemptLimiter(properties.maxFailuresPerAddress(), properties.maxAttemptsPerAddress(),
                properties.window(), properties.maxTracked(), clock);
    }

    /** Before a password check: empty when it may go ahead (and then counted), else how long to wait. */
    Optional<Duration> beforePassword(String username, String address) {
        Optional<Duration> userWait = users.blocked(user(username));
        if (userWait.isPresent()) {
            return userWait;
        }
        Optional<Duration> addressWait = addresses.check(address);
        if (addressWait.isPresent()) {
            return addressWait;
        }
        return users.check(user(username));
    }

    /** Before an API token lookup: refused after too many failures from the address; a token costs no bcrypt. */
    Optional<Duration> beforeToken(String address) {
        return addresses.blocked(address);
    }

    void passwordFailed(String username, String address) {
        users.failed(user(username));
        addresses.failed(address);
    }

    void passwordSucceeded(String username) {
        users.succeeded(user(username));
    }

    void tokenFailed(String address) {
        addresses.failed(address);
    }

    private static String user(String username) {
        return username.toLowerCase(Locale.ROOT);
    }
}
