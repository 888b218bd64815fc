package io.vcc.node.adapter.libvirt;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VMs' disks: one directory per VM under {@code root}, one sparse raw image per disk whose length is the
 * disk's capacity (raw images carry no header, so the length is all libvirt and the export know of it).
 */
final class LibvirtImages {

    private static final Logger log = LoggerFactory.getLogger(LibvirtImages.class);
    private static final int BLOCK = 1 << 20;

    private final Path root;

    LibvirtImages(Path root) {
        this.root = root.toAbsolutePath();
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

    /**
     * Takes an imported image over as the VM's disk of {@code capacityBytes}. An image as long as the disk is
     * hard-linked (no copy; the staged file stays its owner's). A shorter one, as packages carry thin disks
     * without their trailing zeros, is copied sparsely and extended: extending a link would change the staged
     * file, which a retried import verifies again.
     */
    Path adopt(UUID vmId, int index, Path image, long capacityBytes) {
        Path file = file(vmId, index);
        try {
            Files.createDirectories(file.getParent());
            if (Files.size(image) >= capacityBytes) {
                try {
                    Files.createLink(file, image);
                } catch (IOException | UnsupportedOperationException notLinkable) {
                    sparseCopy(image, file);
                }
            } else {
                sparseCopy(image, file);
                try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    extend(out, capacityBytes);
                }
            }
        } catch (IOException e) {
            throw new VccProblemException(ProblemType.INTERNAL, "Cannot take over disk image " + image + ": " + e.getMessage(), e);
        }
        return file;
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
            log.warn("Could not delete the disk images of VM {}: {}", vmId, e.toString());
        }
    }

    private Path file(UUID vmId, int index) {
        return root.resolve(vmId.toString()).resolve("disk-" + index + ".img");
    }

    /** Copies block by block, leaving blocks of zeros as holes: a thin disk costs what it holds. */
    private static void sparseCopy(Path source, Path target) throws IOException {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long size = in.size();
            ByteBuffer buffer = ByteBuffer.allocate(BLOCK);
            for (long position = 0; position < size; position += BLOCK) {
                buffer.clear();
                while (buffer.hasRemaining() && in.read(buffer, position + buffer.position()) > 0) {
                    // fill the block
                }
                buffer.flip();
                if (!zeros(buffer)) {
                    out.write(buffer, position);
                }
            }
            extend(out, size);
            out.force(true);
        }
    }

    /** Makes the file {@code size} long without writing data: a hole up to the end. */
    private static void extend(FileChannel out, long size) throws IOException {
        if (out.size() < size) {
            out.write(ByteBuffer.wrap(new byte[1]), size - 1);
        }
    }

    private static boolean zeros(ByteBuffer block) {
        for (int i = block.position(); i < block.limit(); i++) {
            if (block.get(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
