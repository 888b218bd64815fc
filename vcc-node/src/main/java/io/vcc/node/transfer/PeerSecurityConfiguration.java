package io.vcc.node.transfer;

import io.vcc.node.core.session.BearerSessionFilter;
import io.vcc.support.web.ProblemSecurityHandlers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

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
                .addFilterBefore(new BearerSessionFilter(grants::session, "TRANSFER_PEER"), AnonymousAuthenticationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint(ProblemSecurityHandlers.entryPoint())
                        .accessDeniedHandler(ProblemSecurityHandlers.accessDenied()))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(HttpMethod.POST, "/node/v1/packages/*/sessions").permitAll()
                        .anyRequest().hasRole("TRANSFER_PEER"));
        return http.build();
    }
}
