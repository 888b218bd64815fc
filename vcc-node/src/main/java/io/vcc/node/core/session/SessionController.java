package io.vcc.node.core.session;

import io.vcc.api.node.SessionRequest;
import io.vcc.api.node.SessionResponse;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.core.identity.NodeIdentities;
import io.vcc.node.core.identity.NodeIdentity;
import io.vcc.support.web.AttemptLimiter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Login to the node (seed 002, FIG. 14, steps 1406–1414). */
@RestController
@EnableConfigurationProperties(NodeLoginProperties.class)
class SessionController {

    private final NodeIdentities identities;
    private final PasswordEncoder passwordEncoder;
    private final Sessions sessions;
    private final AttemptLimiter failures;

    SessionController(NodeIdentities identities, PasswordEncoder passwordEncoder, Sessions sessions,
                      NodeLoginProperties limits, ObjectProvider<Clock> clock) {
        this.identities = identities;
        this.passwordEncoder = passwordEncoder;
        this.sessions = sessions;
        this.failures = new AttemptLimiter(limits.maxFailuresPerAddress(), Integer.MAX_VALUE, limits.window(), 10_000,
                clock.getIfAvailable(Clock::systemUTC));
    }

    /** Too many failures from an address are refused before the secret is hashed. */
    @PostMapping("/node/v1/sessions")
    @ResponseStatus(HttpStatus.CREATED)
    SessionResponse login(@Valid @RequestBody SessionRequest request, HttpServletRequest http, HttpServletResponse response) {
        String address = http.getRemoteAddr();
        Optional<Duration> wait = failures.blocked(address);
        if (wait.isPresent()) {
            response.setHeader("Retry-After", Long.toString(AttemptLimiter.retryAfterSeconds(wait.get())));
            throw new VccProblemException(ProblemType.TOO_MANY_REQUESTS, "Too many failed logins from this address; try again in "
                    + AttemptLimiter.retryAfterSeconds(wait.get()) + " s");
        }
        long generation = sessions.generation();
        NodeIdentity identity = identities.current().orElseThrow(() -> new VccProblemException(ProblemType.UNAUTHORIZED,
                "This node is not registered with a server yet, so it accepts no logins"));
        if (!identity.username().equals(request.username()) || !passwordEncoder.matches(request.secret(), identity.secretHash())) {
            failures.failed(address);
            throw new VccProblemException(ProblemType.UNAUTHORIZED, "Unknown user or wrong secret");
        }
        failures.succeeded(address);
        return sessions.open(request.username(), generation);
    }
}
