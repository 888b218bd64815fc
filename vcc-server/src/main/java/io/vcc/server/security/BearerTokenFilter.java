package io.vcc.server.security;

import io.vcc.api.problem.ProblemType;
import io.vcc.support.web.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import io.vcc.support.web.AttemptLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/** {@code Authorization: Bearer vcc_…}: an API token, looked up by its hash. A bad token is a 401, not anonymous. */
class BearerTokenFilter extends OncePerRequestFilter {

    private final ApiTokens tokens;
    private final Accounts accounts;
    private final Clock clock;
    private final LoginThrottle throttle;

    BearerTokenFilter(ApiTokens tokens, Accounts accounts, Clock clock, LoginThrottle throttle) {
        this.tokens = tokens;
        this.accounts = accounts;
        this.clock = clock;
        this.throttle = throttle;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            chain.doFilter(request, response);
            return;
        }
        String address = request.getRemoteAddr();
        Optional<Duration> wait = throttle.beforeToken(address);
        if (wait.isPresent()) {
            AttemptLimiter.refuse(response, wait.get(), "Too many failed logins from this address");
            return;
        }
        Optional<ApiToken> token = tokens.findByTokenHash(SecretTokens.hash(header.substring(7).trim()))
                .filter(t -> t.usableAt(clock.instant()));
        Optional<Account> account = token.flatMap(t -> accounts.findById(t.userId()));
        if (account.isEmpty()) {
            throttle.tokenFailed(address);
            ProblemResponses.write(response, ProblemType.UNAUTHORIZED, "The API token is unknown, expired or revoked");
            return;
        }
        VccPrincipal principal = account.get().principal();
        UsernamePasswordAuthenticationToken authentication = UsernamePasswordAuthenticationToken.authenticated(
                principal, null, AccountDetails.authorities(principal.role()));
        // Streams opened with this token end when it is revoked or expires (see StreamCredentials).
        authentication.setDetails(new TokenDetails(token.get().id()));
        SecurityContextHolder.getContext().setAuthentication(authentication);
        chain.doFilter(request, response);
    }
}
