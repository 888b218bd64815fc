package io.vcc.node.adapter.sim;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.support.VccHome;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The simulated cloud's datastore: each disk a sparse file of its full capacity. Files are tied to the
 * transaction that creates or deletes their VM, so a rolled-back create leaves no file behind and a
 * rolled-back delete loses none.
 */
@Component
class SimDiskFiles {

    private final Path root;

    SimDiskFiles(Environment environment) {
        this.root = VccHome.of(environment).resolve("disks");
    }

    Path create(UUID vmId, int index, long capacityBytes) {
        Path file = root.resolve(vmId.toString()).resolve("disk-" + index + ".img");
        try {
            Files.createDirectories(file.getParent());
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(capacityBytes);
            }
        } catch (IOException e) {
            throw new VccProblemException(ProblemType.INTERNAL, "Cannot create disk file " + file + ": " + e.getMessage(), e);
        }
        afterRollback(() -> deleteQuietly(vmId));
        return file;
    }

    /** Deletes the VM's files once the surrounding transaction has committed. */
    void deleteAfterCommit(UUID vmId) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                deleteQuietly(vmId);
            }
        });
    }

    private void afterRollback(Runnable action) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                if (status != STATUS_COMMITTED) {
                    action.run();
                }
            }
        });
    }

    private void deleteQuietly(UUID vmId) {
        Path directory = root.resolve(vmId.toString());
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            org.slf4j.LoggerFactory.getLogger(SimDiskFiles.class).warn("Could not delete disk files of VM {}: {}", vmId, e.toString());
        }
    }
}
