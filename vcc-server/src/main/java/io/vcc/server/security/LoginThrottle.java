package io.vcc.server.security;

import io.vcc.support.web.AttemptLimiter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
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
        Optional<Duration> addressWait = addresses.check(address(address));
        if (addressWait.isPresent()) {
            return addressWait;
        }
        return users.check(user(username));
    }

    /** Whether the user name or address is refused now, without counting an attempt. */
    Optional<Duration> blocked(String username, String address) {
        Optional<Duration> userWait = users.blocked(user(username));
        return userWait.isPresent() ? userWait : addresses.blocked(address(address));
    }

    /** Before an API token lookup: refused after too many failures from the address; a token costs no bcrypt. */
    Optional<Duration> beforeToken(String address) {
        return addresses.blocked(address(address));
    }

    void passwordFailed(String username, String address) {
        users.failed(user(username));
        addresses.failed(address(address));
    }

    void passwordSucceeded(String username) {
        users.succeeded(user(username));
    }

    void tokenFailed(String address) {
        addresses.failed(address(address));
    }

    /** Long names are kept as their hash, so that made-up names cannot fill the heap. */
    private static String user(String username) {
        String name = username.toLowerCase(Locale.ROOT);
        return name.length() <= 100 ? name : "#" + SecretTokens.hash(name);
    }

    /**
     * An IPv6 client is counted by its /64, which one host usually has whole: counting single addresses
     * would give it 2^64 fresh ones. IPv4 addresses count one by one.
     */
    static String address(String remoteAddress) {
        if (remoteAddress == null || remoteAddress.indexOf(':') < 0) {
            return remoteAddress == null ? "unknown" : remoteAddress;
        }
        try {
            byte[] bytes = InetAddress.getByName(remoteAddress).getAddress();
            return bytes.length == 16 ? HexFormat.of().formatHex(bytes, 0, 8) + "::/64" : remoteAddress;
        } catch (UnknownHostException notAnAddress) {
            return remoteAddress;
        }
    }
}
