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

    /**
     * Takes an imported image over as the VM's disk: a hard link when it is on the same file system (no
     * copy, and the image stays where it was until its owner removes it), a copy otherwise. The image
     * keeps its length: a disk image may be shorter than the disk's capacity.
     */
    Path adopt(UUID vmId, int index, Path image) {
        Path file = root.resolve(vmId.toString()).resolve("disk-" + index + ".img");
        afterRollback(() -> deleteQuietly(vmId));
        try {
            Files.createDirectories(file.getParent());
            try {
                Files.createLink(file, image);
            } catch (IOException | UnsupportedOperationException notLinkable) {
                Files.copy(image, file);
            }
        } catch (IOException e) {
            throw new VccProblemException(ProblemType.INTERNAL, "Cannot take over disk image " + image + ": " + e.getMessage(), e);
        }
        return file;
    }

    /**
     * A copy of another disk's file for the VM, as sparse as the original: blocks of zeros are left as holes,
     * so copying a thin disk costs what it holds, not its capacity.
     */
    Path copy(UUID vmId, int index, Path source) {
        Path file = root.resolve(vmId.toString()).resolve("disk-" + index + ".img");
        afterRollback(() -> deleteQuietly(vmId));
        try {
            Files.createDirectories(file.getParent());
            SparseCopy.copy(source, file);
        } catch (IOException e) {
            throw new VccProblemException(ProblemType.INTERNAL, "Cannot copy disk image " + source + ": " + e.getMessage(), e);
        }
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
