package io.vcc.node.transfer;

import io.vcc.support.web.ProblemSecurityHandlers;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Peers reach only {@code /node/v1/packages/**}, with a session from a per-transfer grant; those tokens
 * mean nothing to the rest of the node API, and the node's own sessions mean nothing here.
 */
@Configuration(proxyBeanMethods = false)
class PeerSecurityConfiguration {

    @Bean
    @Order(90)
    SecurityFilterChain peerPackages(HttpSecurity http, PeerGrants grants) throws Exception {
        http.securityMatcher("/node/v1/packages/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .addFilterBefore(new PeerSessionFilter(grants), AnonymousAuthenticationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint(ProblemSecurityHandlers.entryPoint())
                        .accessDeniedHandler(ProblemSecurityHandlers.accessDenied()))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(HttpMethod.POST, "/node/v1/packages/*/sessions").permitAll()
                        .anyRequest().hasRole("TRANSFER_PEER"));
        return http.build();
    }

    static final class PeerSessionFilter extends OncePerRequestFilter {

        private final PeerGrants grants;

        PeerSessionFilter(PeerGrants grants) {
            this.grants = grants;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String header = request.getHeader("Authorization");
            if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                grants.session(header.substring(7).trim()).ifPresent(session -> SecurityContextHolder.getContext().setAuthentication(
                        UsernamePasswordAuthenticationToken.authenticated(session, null,
                                List.of(new SimpleGrantedAuthority("ROLE_TRANSFER_PEER")))));
            }
            chain.doFilter(request, response);
        }
    }
}
