package io.vcc.server.security;

import io.vcc.api.problem.ProblemType;
import io.vcc.support.web.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/** {@code Authorization: Bearer vcc_…}: an API token, looked up by its hash. A bad token is a 401, not anonymous. */
class BearerTokenFilter extends OncePerRequestFilter {

    private final ApiTokens tokens;
    private final Accounts accounts;
    private final Clock clock;

    BearerTokenFilter(ApiTokens tokens, Accounts accounts, Clock clock) {
        this.tokens = tokens;
        this.accounts = accounts;
        this.clock = clock;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            chain.doFilter(request, response);
            return;
        }
        Optional<Account> account = tokens.findByTokenHash(SecretTokens.hash(header.substring(7).trim()))
                .filter(token -> token.usableAt(clock.instant()))
                .flatMap(token -> accounts.findById(token.userId()));
        if (account.isEmpty()) {
            ProblemResponses.write(response, ProblemType.UNAUTHORIZED, "The API token is unknown, expired or revoked");
            return;
        }
        VccPrincipal principal = account.get().principal();
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                principal, null, AccountDetails.authorities(principal.role())));
        chain.doFilter(request, response);
    }
}
