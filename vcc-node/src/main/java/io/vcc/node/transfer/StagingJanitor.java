package io.vcc.node.transfer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * Removes what transfers left behind when the server could not tell this node to clean up: a node that
 * was down while its transfer was compensated keeps the staged package, its checkpoints and its grant.
 * A transfer whose staging has not changed for {@code vcc.transfers.staging-ttl} is over either way (the
 * server fails a transfer that makes no progress long before), so its leftovers go. Uploads that got no byte for
 * {@code vcc.packages.upload-ttl} expire here too, with their staging and its reservation.
 */
@Component
class StagingJanitor implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(StagingJanitor.class);

    private final Staging staging;
    private final TransferService transfers;
    private final TransferJobs jobs;
    private final TransferProperties properties;
    private final PackageUploadService uploads;
    private final StagingBudget budget;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "staging-janitor");
        thread.setDaemon(true);
        return thread;
    });

    StagingJanitor(Staging staging, TransferService transfers, TransferJobs jobs, TransferProperties properties,
                   PackageUploadService uploads, StagingBudget budget) {
        this.uploads = uploads;
        this.budget = budget;
        this.staging = staging;
        this.transfers = transfers;
        this.jobs = jobs;
        this.properties = properties;
    }

    @Override
    public void afterPropertiesSet() {
        long every = properties.stagingSweepInterval().toMillis();
        timer.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    /** Cleans up every transfer whose staging is older than the TTL and that no job here is working on; returns their ids. */
    List<UUID> sweep() throws IOException {
        List<UUID> removed = new ArrayList<>();
        if (!Files.isDirectory(staging.root())) {
            return removed;
        }
        Instant cutoff = Instant.now().minus(properties.stagingTtl());
        List<Path> transferDirs;
        try (Stream<Path> listing = Files.list(staging.root())) {
            transferDirs = listing.filter(Files::isDirectory).toList();
        }
        for (Path dir : transferDirs) {
            Optional<UUID> transferId = uuid(dir.getFileName().toString());
            if (transferId.isEmpty() || jobs.active(transferId.get()) || lastChange(dir).isAfter(cutoff)) {
                continue;
            }
            transfers.cleanup(transferId.get());
            removed.add(transferId.get());
            log.info("Removed the staging, checkpoints and grant of transfer {}, unchanged since before {}", transferId.get(), cutoff);
        }
        return removed;
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (IOException | RuntimeException e) {
            log.warn("Staging sweep failed: {}", e.toString());
        }
        try {
            sweepUploads();
        } catch (RuntimeException e) {
            log.warn("Upload sweep failed: {}", e.toString());
        }
    }

    /**
     * Expires uploads that got no byte for {@code vcc.packages.upload-ttl} (even when no new upload comes to
     * trigger it) and gives back reservations nothing holds any more; returns the expired uploads.
     */
    List<UUID> sweepUploads() {
        List<UUID> expired = uploads.expireAbandoned();
        int orphans = budget.releaseOrphans();
        if (!expired.isEmpty() || orphans > 0) {
            log.info("Expired {} abandoned uploads and released {} staging reservations nothing held", expired.size(), orphans);
        }
        return expired;
    }

    private static Instant lastChange(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(StagingJanitor::modified).max(FileTime::compareTo).map(FileTime::toInstant).orElse(Instant.EPOCH);
        }
    }

    private static FileTime modified(Path path) {
        try {
            return Files.getLastModifiedTime(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<UUID> uuid(String name) {
        try {
            return Optional.of(UUID.fromString(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
