package io.vcc.server.pki;

import io.vcc.support.tls.RenewalTimer;
import io.vcc.support.tls.TlsContexts;
import io.vcc.support.tls.TlsFiles;
import io.vcc.support.tls.TlsProperties;
import io.vcc.support.tls.TlsSetup;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Renews the server's own certificate from its CA before it expires; the web server reloads the file (its
 * SSL bundle watches it). A certificate the operator brought is theirs to renew.
 */
@Configuration(proxyBeanMethods = false)
class ServerCertificateRenewal {

    private static final Logger log = LoggerFactory.getLogger(ServerCertificateRenewal.class);

    private final TlsProperties properties;
    private final TlsFiles files;
    private final ServerCertificateAuthority authority;

    ServerCertificateRenewal(TlsProperties properties, TlsContexts contexts, ServerCertificateAuthority authority) {
        this.properties = properties;
        this.files = contexts.files();
        this.authority = authority;
    }

    void renewIfDue() {
        if (files == null || !files.managed() || authority.authority().isEmpty()) {
            return;
        }
        if (files.expiresBefore(Instant.now().plus(properties.renewBefore()))) {
            TlsSetup.issueServerCertificate(files, properties, authority.authority().get());
            log.info("Renewed the server's certificate; it now expires {}", files.leaf().getNotAfter().toInstant());
        }
    }

    @Bean
    RenewalTimer serverCertificateRenewalTimer() {
        return new RenewalTimer("server-certificate", properties, this::renewIfDue);
    }
}
