package io.vcc.node.adapter.libvirt;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.adapter.DiskImageFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    /**
     * The raw image of a package's disk in another format than raw ({@code ovfFormat}), written next to it (in the
     * import's own directory) before anything is defined: inspected first and refused when it names another file or
     * holds a disk larger than {@code capacityBytes} (see {@link ImageInfo}), then converted with the output bounded
     * by the capacity and extended to it, so that {@link #adopt} links it. A VMDK descriptor (text) is refused
     * without running qemu-img: its extents are other files, which qemu-img would open. What fails leaves no output.
     */
    Path toRaw(Path image, long capacityBytes, String ovfFormat, String what) {
        String format = QemuImg.format(ovfFormat);
        if (format.equals("vmdk")) {
            requireSingleFileVmdk(image, what);
        }
        qemuImg.inspect(image, format, what).requireSafe(image, capacityBytes, what);
        // A name no package file has (qemu-img creates it as the other images are, by the umask).
        Path raw = image.toAbsolutePath().resolveSibling(".raw-" + UUID.randomUUID() + ".img");
        try {
            qemuImg.toRaw(image, format, raw, capacityBytes, what);
            try (FileChannel out = FileChannel.open(raw, StandardOpenOption.WRITE)) {
                if (out.size() > capacityBytes) {
                    throw new VccProblemException(ProblemType.PACKAGE_UNSAFE, what + " became a raw image of " + out.size()
                            + " bytes, larger than its capacity of " + capacityBytes + " bytes");
                }
                DiskImageFiles.extend(out, capacityBytes);
            }
            return raw;
        } catch (IOException e) {
            deleteQuietly(raw);
            throw new VccProblemException(ProblemType.INTERNAL, "Cannot write the raw image of " + image + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(raw);
            throw e;
        }
    }

    /**
     * VMDK's sparse formats start with their magic ("KDMV"; "COWD" for VMware 3). qemu-img reads anything else as
     * a text descriptor, whose extents are other files: refused before qemu-img opens them.
     */
    private static void requireSingleFileVmdk(Path image, String what) {
        byte[] head;
        try (InputStream in = Files.newInputStream(image)) {
            head = in.readNBytes(64 * 1024);
        } catch (IOException e) {
            throw new VccProblemException(ProblemType.INTERNAL, "Cannot read disk image " + image + ": " + e.getMessage(), e);
        }
        String text = new String(head, StandardCharsets.ISO_8859_1);
        if (text.startsWith("KDMV") || text.startsWith("COWD")) {
            return;
        }
        if (text.contains("createType")) {
            throw new VccProblemException(ProblemType.PACKAGE_UNSAFE, what + " is a VMDK descriptor whose extents are other "
                    + "files; only single-file VMDK images are accepted (streamOptimized or monolithicSparse)");
        }
        throw new VccProblemException(ProblemType.PACKAGE_INVALID, what + " is not a valid vmdk image: it has neither "
                + "a VMDK header nor a descriptor");
    }

    /** Refuses an image {@link #toRaw} could not make raw (a format qemu-img does not read, no qemu-img), before anything is made. */
    void requireAdoptable(String ovfFormat) {
        qemuImg.requireAvailable(ovfFormat);
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not remove {}: {}", file, e.toString());
        }
    }

    /**
     * Takes a raw image over as the VM's disk of {@code capacityBytes} (images in other formats are made raw by
     * {@link #toRaw} first). One as long as the disk is hard-linked (no copy; the staged file stays its owner's).
     * A shorter one, as packages carry thin disks without their trailing zeros, is copied sparsely and extended:
     * extending a link would change the staged file, which a retried import verifies again.
     */
    Path adopt(UUID vmId, int index, Path image, long capacityBytes) {
        Path file = file(vmId, index);
        try {
            Files.createDirectories(file.getParent());
            if (Files.size(image) >= capacityBytes) {
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
