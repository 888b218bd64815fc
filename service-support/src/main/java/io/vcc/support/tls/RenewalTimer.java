package io.vcc.support.tls;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Looks at a certificate every {@link TlsProperties#renewalInterval()} while the service runs and renews it when
 * due; a failed attempt is logged and tried again at the next look, so a server that is away for a while does
 * not leave the certificate to expire unnoticed.
 */
public final class RenewalTimer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RenewalTimer.class);

    private final String what;
    private final TlsProperties properties;
    private final Runnable renewIfDue;
    private ScheduledExecutorService timer;

    /** @param what names the certificate in logs and the timer's thread, e.g. "node-certificate" */
    public RenewalTimer(String what, TlsProperties properties, Runnable renewIfDue) {
        this.what = what;
        this.properties = properties;
        this.renewIfDue = renewIfDue;
    }

    @Override
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, what);
            thread.setDaemon(true);
            return thread;
        });
        long every = properties.renewalInterval().toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                renewIfDue.run();
            } catch (RuntimeException e) {
                log.warn("Renewing the {} failed; trying again in {}: {}", what, properties.renewalInterval(), e.toString());
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
