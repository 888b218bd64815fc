package io.vcc.node.adapter.libvirt;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.adapter.DiskImageFiles;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The VMs' disks: one directory per VM under {@code root}, one sparse raw image per disk whose length is the
 * disk's capacity (raw images carry no header, so the length is all libvirt and the export know of it).
 */
final class LibvirtImages {

    private final Path root;
    private final QemuImg qemuImg;

    LibvirtImages(Path root, QemuImg qemuImg) {
        this.root = root.toAbsolutePath();
        this.qemuImg = qemuImg;
    }

    Path root() {
        return root;
    }

    Path create(UUID vmId, int index, long capacityBytes) {
        Path file = file(vmId, index);
        try {
            Files.createDirectories(file.getParent());
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(capacityBytes);
            }
        } catch (IOException e) {
            throw new VccProblemException(ProblemType.INTERNAL, "Cannot create disk image " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /** Refuses an image {@link #adopt} could not make raw, before anything is created. */
    void requireAdoptable(String ovfFormat) {
        qemuImg.requireAvailable(ovfFormat);
    }

    /**
     * Takes an imported image over as the VM's disk of {@code capacityBytes}. An image in another format than
     * raw ({@code ovfFormat}) is converted. A raw image as long as the disk is hard-linked (no copy; the staged
     * file stays its owner's). A shorter one, as packages carry thin disks without their trailing zeros, is
     * copied sparsely and extended: extending a link would change the staged file, which a retried import
     * verifies again.
     */
    Path adopt(UUID vmId, int index, Path image, long capacityBytes, String ovfFormat) {
        Path file = file(vmId, index);
        try {
            Files.createDirectories(file.getParent());
            if (QemuImg.format(ovfFormat) != null) {
                qemuImg.toRaw(image, ovfFormat, file);
                try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    DiskImageFiles.extend(out, capacityBytes);
                }
            } else if (Files.size(image) >= capacityBytes) {
                try {
                    Files.createLink(file, image);
                } catch (IOException | UnsupportedOperationException notLinkable) {
                    DiskImageFiles.sparseCopy(image, file);
                }
            } else {
                DiskImageFiles.sparseCopy(image, file);
                try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    DiskImageFiles.extend(out, capacityBytes);
                }
            }
        } catch (IOException e) {
            throw new VccProblemException(ProblemType.INTERNAL, "Cannot take over disk image " + image + ": " + e.getMessage(), e);
        }
        return file;
    }

    /** A sparse copy of {@code source} as the VM's disk {@code index}: a template's or an instance's own image. */
    Path copy(UUID vmId, int index, Path source) {
        return DiskImageFiles.copyImage(source, file(vmId, index));
    }

    static long length(Path image) {
        try {
            return Files.size(image);
        } catch (IOException e) {
            // An image removed behind the node's back: the VM still shows, with an empty disk.
            return 0;
        }
    }

    /** The VMs that have an image directory here. */
    List<UUID> vmIds() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> directories = Files.list(root)) {
            return directories.map(directory -> directory.getFileName().toString()).flatMap(name -> {
                try {
                    return Stream.of(UUID.fromString(name));
                } catch (IllegalArgumentException notOurs) {
                    return Stream.empty();
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + root, e);
        }
    }

    /** Removes the VM's images; what cannot be removed is logged, not thrown: the VM is gone either way. */
    void delete(UUID vmId) {
        DiskImageFiles.deleteQuietly(root.resolve(vmId.toString()));
    }

    private Path file(UUID vmId, int index) {
        return root.resolve(vmId.toString()).resolve("disk-" + index + ".img");
    }
}
