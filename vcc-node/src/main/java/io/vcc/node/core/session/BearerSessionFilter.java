package io.vcc.node.core.session;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.modulith.NamedInterface;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request by a session token ({@code Authorization: Bearer …}) that some session store
 * knows: the node's own login sessions, or a transfer peer's. An unknown token leaves the request
 * anonymous, so the chain's rules answer 401. Core's one type other modules use (the peer transfer routes'
 * security), hence a named interface of its own.
 */
@NamedInterface("bearer-sessions")
public class BearerSessionFilter extends OncePerRequestFilter {

    private final Function<String, Optional<?>> sessions;
    private final SimpleGrantedAuthority authority;

    public BearerSessionFilter(Function<String, Optional<?>> sessions, String role) {
        this.sessions = sessions;
        this.authority = new SimpleGrantedAuthority("ROLE_" + role);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            sessions.apply(header.substring(7).trim()).ifPresent(principal -> SecurityContextHolder.getContext().setAuthentication(
                    UsernamePasswordAuthenticationToken.authenticated(principal, null, List.of(authority))));
        }
        chain.doFilter(request, response);
    }
}
