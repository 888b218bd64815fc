package io.vcc.server;

import io.vcc.server.security.Role;
import io.vcc.server.security.VccPrincipal;
import io.vcc.support.web.ProblemAutoConfiguration;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * What a {@code @WebMvcTest} of an API controller needs besides the controller: the problem answers every vcc
 * service gives, method security, and a stateless chain without CSRF as the real one. Who calls is set per
 * request ({@link #admin()}); how credentials are checked is the full-context tests' business.
 */
@TestConfiguration(proxyBeanMethods = false)
@ImportAutoConfiguration(ProblemAutoConfiguration.class)
@EnableWebSecurity
@EnableMethodSecurity
public class ApiSlice {

    @Bean
    SecurityFilterChain apiSliceChain(HttpSecurity http) throws Exception {
        return http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .build();
    }

    /** The request as made by the admin. */
    public static RequestPostProcessor admin() {
        VccPrincipal admin = new VccPrincipal(UUID.randomUUID(), "admin", Role.ADMIN, null);
        return SecurityMockMvcRequestPostProcessors.authentication(
                new UsernamePasswordAuthenticationToken(admin, null, List.of(new SimpleGrantedAuthority("ROLE_ADMIN"))));
    }
}
