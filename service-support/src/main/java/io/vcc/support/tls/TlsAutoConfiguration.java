package io.vcc.support.tls;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/** The TLS material every service's clients share; see {@link TlsSetup} for the web server's side. */
@AutoConfiguration
@EnableConfigurationProperties(TlsProperties.class)
public class TlsAutoConfiguration {

    @Bean
    TlsContexts tlsContexts(TlsProperties properties, Environment environment) {
        return properties.enabled() ? new TlsContexts(TlsFiles.of(environment, properties)) : TlsContexts.disabled();
    }
}
