package io.vcc.server.security;

import io.vcc.support.web.ProblemSecurityHandlers;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * The operator API is stateless: every request carries HTTP Basic credentials or an API token. Only
 * health, the API description and a node's one-time registration are open. Logins are throttled per user
 * and client address ({@link LoginThrottle}) before any password is hashed.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
@EnableConfigurationProperties(LoginProperties.class)
class SecurityConfiguration {

    /** An admin may do what a tenant admin may, and a tenant admin what a tenant user may. */
    @Bean
    static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix()
                .role(Role.ADMIN.name()).implies(Role.TENANT_ADMIN.name())
                .role(Role.TENANT_ADMIN.name()).implies(Role.TENANT_USER.name())
                .build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    LoginThrottle loginThrottle(LoginProperties properties, Clock clock) {
        return new LoginThrottle(properties, clock);
    }

    @Bean
    RememberedLogins rememberedLogins(LoginProperties properties, Clock clock) {
        return new RememberedLogins(properties.remember(), clock);
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http, ApiTokens tokens, Accounts accounts, Clock clock, AccountService users,
                            PasswordEncoder passwordEncoder, LoginThrottle throttle, RememberedLogins remembered) throws Exception {
        DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(users);
        passwords.setPasswordEncoder(passwordEncoder);
        http.securityMatcher("/api/**", "/actuator/**", "/v3/api-docs/**", "/v3/api-docs", "/swagger-ui/**", "/swagger-ui.html", "/error")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authenticationManager(new ThrottledAuthentication(new ProviderManager(passwords), throttle, remembered))
                .httpBasic(basic -> basic.authenticationEntryPoint(ThrottledAuthentication.entryPoint()))
                .formLogin(form -> form.disable())
                .addFilterBefore(new BearerTokenFilter(tokens, accounts, clock, throttle), BasicAuthenticationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint(ProblemSecurityHandlers.entryPoint())
                        .accessDeniedHandler(ProblemSecurityHandlers.accessDenied()))
                .authorizeHttpRequests(auth -> auth
                        // The dispatch that ends an event stream: its request was authorized when it began.
                        .dispatcherTypeMatchers(DispatcherType.ASYNC).permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/v1/nodes/register", "/api/v1/nodes/certificate").permitAll()
                        .requestMatchers(HttpMethod.GET, "/api/v1/pki/ca", "/api/v1/pki/ca.pem").permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/v3/api-docs", "/v3/api-docs/**",
                                "/swagger-ui.html", "/swagger-ui/**", "/error").permitAll()
                        .anyRequest().authenticated());
        return http.build();
    }
}
