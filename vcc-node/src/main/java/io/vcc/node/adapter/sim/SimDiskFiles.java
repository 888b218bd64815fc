package io.vcc.node.adapter.sim;

import io.vcc.node.adapter.DiskImageFiles;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.support.VccHome;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
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
class SimDiskFiles implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(SimDiskFiles.class);

    private final Path root;
    private final SimVms vms;

    SimDiskFiles(Environment environment, SimVms vms) {
        this.root = VccHome.of(environment).resolve("disks");
        this.vms = vms;
    }

    /**
     * Removes the disk directories of VMs the datastore does not hold: what a create, import or delete left
     * behind when the node died inside its transaction, where no rollback ran. This runs before the node
     * serves its first request, so no transaction of this process can own one of them.
     */
    @Override
    public void afterSingletonsInstantiated() {
        if (!Files.isDirectory(root)) {
            return;
        }
        Set<UUID> known = vms.ids();
        try (Stream<Path> directories = Files.list(root)) {
            for (Path directory : directories.toList()) {
                UUID vmId = vmId(directory.getFileName().toString());
                if (vmId != null && !known.contains(vmId)) {
                    log.info("Removing the disk files of VM {}: this cloud holds no such VM (a node that stopped "
                            + "mid-operation left them)", vmId);
                    deleteQuietly(vmId);
                }
            }
        } catch (IOException e) {
            log.warn("Could not look for left-behind disk files under {}: {}", root, e.toString());
        }
    }

    private static UUID vmId(String name) {
        try {
            return UUID.fromString(name);
        } catch (IllegalArgumentException notOurs) {
            return null;
        }
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
        afterRollback(() -> deleteQuietly(vmId));
        return DiskImageFiles.copyImage(source, root.resolve(vmId.toString()).resolve("disk-" + index + ".img"));
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
        DiskImageFiles.deleteQuietly(root.resolve(vmId.toString()));
    }
}
