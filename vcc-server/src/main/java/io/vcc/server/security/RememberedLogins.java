package io.vcc.server.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Password logins that succeeded lately, so that a script or console sending the same HTTP Basic
 * credentials with every request costs one bcrypt hash per {@code vcc.security.logins.remember}, not one
 * per request, and is not counted against its address. Kept in memory only as an HMAC of user name and
 * password under a key made at start (as Elasticsearch's realm cache does); forgotten when the user or
 * their tenant is deleted.
 */
class RememberedLogins {

    private static final int MAX_ENTRIES = 10_000;

    private final Duration ttl;
    private final Clock clock;
    private final SecretKeySpec key;
    private final Map<String, Remembered> entries = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Remembered> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    private record Remembered(Authentication authentication, Instant until) {
    }

    /** Revocations seen so far: a login checked while one happened is not remembered. */
    private long revocations;

    RememberedLogins(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    synchronized Optional<Authentication> recall(String username, Object password) {
        if (ttl.isZero() || !(password instanceof String)) {
            return Optional.empty();
        }
        String id = id(username, (String) password);
        Remembered remembered = entries.get(id);
        if (remembered == null) {
            return Optional.empty();
        }
        if (!remembered.until().isAfter(clock.instant())) {
            entries.remove(id);
            return Optional.empty();
        }
        return Optional.of(remembered.authentication());
    }

    /** To be read before a login's password is checked, and given back to {@link #remember}. */
    synchronized long revocations() {
        return revocations;
    }

    /**
     * Remembers a login whose password was checked, unless credentials were revoked since {@code revocationsBefore}:
     * the check may have read a user whose deletion was committed meanwhile.
     */
    synchronized void remember(String username, Object password, Authentication authentication, long revocationsBefore) {
        if (revocationsBefore == revocations && !ttl.isZero() && password instanceof String raw) {
            entries.put(id(username, raw), new Remembered(authentication, clock.instant().plus(ttl)));
        }
    }

    /** Once the revocation is committed: until then, a login may still read the user and must not outlast it. */
    @TransactionalEventListener(fallbackExecution = true)
    synchronized void on(CredentialsRevoked revoked) {
        revocations++;
        entries.values().removeIf(entry -> entry.authentication().getPrincipal() instanceof AccountDetails details
                && revoked.ends(details.principal().userId(), details.principal().tenantId(), null));
    }

    private String id(String username, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal((username + '\0' + password).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
