package io.vcc.node.packaging;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * Removes what was left in the staging area when nobody came back for it, every
 * {@code vcc.transfers.staging-sweep-interval}: each feature's {@link StagingSweep} (transfers the server could
 * not tell this node to clean up, uploads that got no byte for {@code vcc.packages.upload-ttl}), then the
 * reservations nothing holds any more.
 */
@Component
class StagingJanitor implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(StagingJanitor.class);

    private final List<StagingSweep> sweeps;
    private final StagingBudget budget;
    private final StagingSweepProperties properties;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "staging-janitor");
        thread.setDaemon(true);
        return thread;
    });

    StagingJanitor(List<StagingSweep> sweeps, StagingBudget budget, StagingSweepProperties properties) {
        this.sweeps = sweeps;
        this.budget = budget;
        this.properties = properties;
    }

    @Override
    public void afterPropertiesSet() {
        long every = properties.stagingSweepInterval().toMillis();
        timer.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    private void sweepQuietly() {
        for (StagingSweep sweep : sweeps) {
            try {
                List<?> removed = sweep.sweep();
                if (!removed.isEmpty()) {
                    log.info("Swept {} {} left in the staging", removed.size(), sweep.what());
                }
            } catch (IOException | RuntimeException e) {
                log.warn("Sweep of {} failed: {}", sweep.what(), e.toString());
            }
        }
        try {
            int orphans = budget.releaseOrphans();
            if (orphans > 0) {
                log.info("Released {} staging reservations nothing held", orphans);
            }
        } catch (RuntimeException e) {
            log.warn("Release of orphan reservations failed: {}", e.toString());
        }
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
