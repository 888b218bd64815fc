package io.vcc.node.transfer;

import io.vcc.node.packaging.Staging;
import io.vcc.node.packaging.StagingSweep;
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
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Transfers the server could not tell this node to clean up: a node that was down while its transfer was
 * compensated keeps the staged package, its checkpoints and its grant. A transfer whose staging has not changed
 * for {@code vcc.transfers.staging-ttl} is over either way (the server fails a transfer that makes no progress
 * long before), so its leftovers go when the staging janitor comes by.
 */
@Component
class StaleTransfers implements StagingSweep {

    private static final Logger log = LoggerFactory.getLogger(StaleTransfers.class);

    private final Staging staging;
    private final TransferService transfers;
    private final TransferJobs jobs;
    private final TransferProperties properties;

    StaleTransfers(Staging staging, TransferService transfers, TransferJobs jobs, TransferProperties properties) {
        this.staging = staging;
        this.transfers = transfers;
        this.jobs = jobs;
        this.properties = properties;
    }

    @Override
    public String what() {
        return "transfers";
    }

    /** Cleans up every transfer whose staging is older than the TTL and that no job here is working on; returns their ids. */
    @Override
    public List<UUID> sweep() throws IOException {
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

    private static Instant lastChange(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(StaleTransfers::modified).max(FileTime::compareTo).map(FileTime::toInstant).orElse(Instant.EPOCH);
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
}
