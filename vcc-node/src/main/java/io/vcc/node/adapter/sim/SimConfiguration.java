package io.vcc.node.adapter.sim;

import io.vcc.support.web.ProblemSecurityHandlers;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({SimCloud.class, SimTopologyProperties.class})
class SimConfiguration {

    /**
     * The simulated cloud's own management API, for the other appliances of the same cloud (the SP node),
     * as a real cloud director has one. Open only when a provider password is configured, and then only
     * to that provider account.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnExpression("'${vcc.sim.api-password:}' != ''")
    static class ProviderApi {

        @Bean
        @Order(50)
        SecurityFilterChain simProviderApi(HttpSecurity http, PasswordEncoder encoder,
                                           org.springframework.core.env.Environment environment) throws Exception {
            var provider = new InMemoryUserDetailsManager(User.withUsername("provider")
                    .password(encoder.encode(environment.getRequiredProperty("vcc.sim.api-password")))
                    .roles("PROVIDER").build());
            http.securityMatcher("/sim/v1/**")
                    .csrf(csrf -> csrf.disable())
                    .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                    .userDetailsService(provider)
                    .httpBasic(basic -> basic.authenticationEntryPoint(ProblemSecurityHandlers.entryPoint()))
                    .exceptionHandling(e -> e.authenticationEntryPoint(ProblemSecurityHandlers.entryPoint()))
                    .authorizeHttpRequests(auth -> auth.anyRequest().hasRole("PROVIDER"));
            return http.build();
        }
    }
}
