package io.vcc.server.security;

import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The web console's logins: a form and a session with CSRF protection, for {@code /console/**} only (the API
 * keeps Basic and tokens, stateless). The same accounts, throttled the same way. A login gets an API token of
 * its own, named "console session", which the console uses to call the API for the user — so the console
 * applies exactly the API's rules and tenant scope — and which is revoked when the session ends.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurity {

    static final String TOKEN = ConsoleSessions.TOKEN;
    static final String TOKEN_ID = "vcc.console.token-id";
    static final Duration TOKEN_LIFETIME = Duration.ofHours(12);

    @Bean
    @Order(1)
    SecurityFilterChain console(HttpSecurity http, AccountService users, PasswordEncoder passwordEncoder, LoginThrottle throttle,
                                RememberedLogins remembered, ConsoleTokens tokens) throws Exception {
        DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(users);
        passwords.setPasswordEncoder(passwordEncoder);
        AuthenticationManager throttled = new ThrottledAuthentication(new ProviderManager(passwords), throttle, remembered);
        // The session keeps who logged in, never their password hash.
        AuthenticationManager withoutHash = request -> {
            var result = throttled.authenticate(request);
            VccPrincipal principal = result.getPrincipal() instanceof AccountDetails details ? details.principal() : (VccPrincipal) result.getPrincipal();
            return UsernamePasswordAuthenticationToken.authenticated(principal, null, result.getAuthorities());
        };
        http.securityMatcher("/console/**", "/console", "/webjars/**")
                .authenticationManager(withoutHash)
                .formLogin(form -> form.loginPage("/console/login").permitAll()
                        .successHandler((request, response, authentication) -> {
                            HttpSession session = request.getSession();
                            ConsoleTokens.Issued issued = tokens.issue((VccPrincipal) authentication.getPrincipal());
                            session.setAttribute(TOKEN, issued.secret());
                            session.setAttribute(TOKEN_ID, issued.id());
                            response.sendRedirect(request.getContextPath() + "/console");
                        })
                        .failureHandler((request, response, e) -> response.sendRedirect(request.getContextPath()
                                + (e instanceof ThrottledAuthentication.Throttled ? "/console/login?throttled" : "/console/login?error"))))
                .logout(logout -> logout.logoutUrl("/console/logout").logoutSuccessUrl("/console/login?logout")
                        .addLogoutHandler((request, response, authentication) -> {
                            HttpSession session = request.getSession(false);
                            if (session != null && session.getAttribute(TOKEN_ID) instanceof UUID id) {
                                session.removeAttribute(TOKEN_ID);
                                tokens.revoke(id);
                            }
                        }))
                .httpBasic(basic -> basic.disable())
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/webjars/**", "/console/static/**", "/console/login").permitAll()
                        .anyRequest().authenticated());
        return http.build();
    }

    /** Revokes a session's console token when the session ends (logout or timeout). */
    @Bean
    HttpSessionListener consoleTokenRevoker(ConsoleTokens tokens) {
        return new HttpSessionListener() {
            @Override
            public void sessionDestroyed(HttpSessionEvent event) {
                if (event.getSession().getAttribute(TOKEN_ID) instanceof UUID id) {
                    tokens.revoke(id);
                }
            }
        };
    }

    @Bean
    ConsoleTokens consoleTokens(ApiTokens tokens, Clock clock, TransactionTemplate transactions, ApplicationEventPublisher events) {
        return new ConsoleTokens(tokens, clock, transactions, events);
    }

    /** Mints and revokes the API tokens console sessions call the API with. */
    static final class ConsoleTokens {

        record Issued(UUID id, String secret) {
        }

        private final ApiTokens tokens;
        private final Clock clock;
        private final TransactionTemplate transactions;
        private final ApplicationEventPublisher events;

        ConsoleTokens(ApiTokens tokens, Clock clock, TransactionTemplate transactions, ApplicationEventPublisher events) {
            this.tokens = tokens;
            this.clock = clock;
            this.transactions = transactions;
            this.events = events;
        }

        Issued issue(VccPrincipal user) {
            String secret = SecretTokens.generate("vcc_");
            Instant now = clock.instant();
            ApiToken token = tokens.save(new ApiToken(user.userId(), "console session", SecretTokens.hash(secret), now, now.plus(TOKEN_LIFETIME)));
            return new Issued(token.id(), secret);
        }

        void revoke(UUID id) {
            transactions.executeWithoutResult(status -> tokens.findById(id).ifPresent(token -> {
                token.revoke(clock.instant());
                events.publishEvent(CredentialsRevoked.token(token.userId(), id));
            }));
        }
    }
}
