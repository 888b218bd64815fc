package io.vcc.server.pki;

import io.vcc.support.tls.TlsContexts;
import io.vcc.support.tls.TlsFiles;
import io.vcc.support.tls.TlsProperties;
import io.vcc.support.tls.TlsSetup;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Renews the server's own certificate from its CA before it expires; the web server reloads the file (its
 * SSL bundle watches it). A certificate the operator brought is theirs to renew.
 */
@Component
class ServerCertificateRenewal implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ServerCertificateRenewal.class);

    private final TlsProperties properties;
    private final TlsFiles files;
    private final ServerCertificateAuthority authority;
    private ScheduledExecutorService timer;

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

    @Override
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "server-certificate");
            thread.setDaemon(true);
            return thread;
        });
        long every = properties.renewalInterval().toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                renewIfDue();
            } catch (RuntimeException e) {
                log.warn("Renewing the server's certificate failed; trying again in {}: {}", properties.renewalInterval(), e.toString());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null && !timer.isShutdown();
    }
}
