package io.vcc.server.security;

import io.vcc.support.web.AttemptLimiter;
import io.vcc.support.web.ProblemSecurityHandlers;
import java.time.Duration;
import java.util.Optional;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * HTTP Basic logins through {@link LoginThrottle}: a user name or address with too many failures is refused
 * before the password is hashed, and every outcome is counted; credentials that succeeded lately are
 * recognised without hashing ({@link RememberedLogins}).
 */
class ThrottledAuthentication implements AuthenticationManager {

    private final AuthenticationManager passwords;
    private final LoginThrottle throttle;
    private final RememberedLogins remembered;

    ThrottledAuthentication(AuthenticationManager passwords, LoginThrottle throttle, RememberedLogins remembered) {
        this.passwords = passwords;
        this.throttle = throttle;
        this.remembered = remembered;
    }

    @Override
    public Authentication authenticate(Authentication request) {
        String username = request.getName() == null ? "" : request.getName();
        String address = request.getDetails() instanceof WebAuthenticationDetails details && details.getRemoteAddress() != null
                ? details.getRemoteAddress() : "unknown";
        throttle.blocked(username, address).ifPresent(wait -> {
            throw new Throttled(wait);
        });
        Optional<Authentication> known = remembered.recall(username, request.getCredentials());
        if (known.isPresent()) {
            return known.get();
        }
        throttle.beforePassword(username, address).ifPresent(wait -> {
            throw new Throttled(wait);
        });
        Object password = request.getCredentials();
        long revocations = remembered.revocations();
        try {
            Authentication result = passwords.authenticate(request);
            throttle.passwordSucceeded(username);
            remembered.remember(username, password, result, revocations);
            return result;
        } catch (AuthenticationException e) {
            throttle.passwordFailed(username, address);
            throw e;
        }
    }

    /** 401 for bad credentials, 429 with {@code Retry-After} for a throttled login. */
    static AuthenticationEntryPoint entryPoint() {
        AuthenticationEntryPoint unauthorized = ProblemSecurityHandlers.entryPoint();
        return (request, response, e) -> {
            if (e instanceof Throttled throttled) {
                AttemptLimiter.refuse(response, throttled.wait,
                        "Too many failed logins for this user or from this address (API tokens of the user still work)");
            } else {
                unauthorized.commence(request, response, e);
            }
        };
    }

    /** A login refused unchecked because of earlier failures. */
    static final class Throttled extends AuthenticationException {

        private final transient Duration wait;

        Throttled(Duration wait) {
            super("Too many login attempts");
            this.wait = wait;
        }
    }
}
