package io.vcc.node.adapter;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** File work every adapter's disk images need: sparse copies, extending with a hole, removing a VM's images. */
public final class DiskImageFiles {

    private static final Logger log = LoggerFactory.getLogger(DiskImageFiles.class);
    private static final int BLOCK = 1 << 20;

    private DiskImageFiles() {
    }

    /** {@link #sparseCopy} into a new file {@code target}, its directory made first; a failure is {@code internal}. */
    public static Path copyImage(Path source, Path target) {
        try {
            Files.createDirectories(target.getParent());
            sparseCopy(source, target);
        } catch (IOException e) {
            throw new VccProblemException(ProblemType.INTERNAL, "Cannot copy disk image " + source + ": " + e.getMessage(), e);
        }
        return target;
    }

    /** Copies a file block by block, skipping blocks of zeros so that they stay holes in the copy. */
    public static void sparseCopy(Path source, Path target) throws IOException {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long size = in.size();
            ByteBuffer buffer = ByteBuffer.allocateDirect(BLOCK);
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
            // A trailing hole: the copy still has the original's length.
            extend(out, size);
            out.force(true);
        }
    }

    /** Makes the file {@code size} long without writing data: a hole up to the end. */
    public static void extend(FileChannel out, long size) throws IOException {
        if (out.size() < size) {
            out.write(ByteBuffer.wrap(new byte[1]), size - 1);
        }
    }

    /** Removes a directory of images; what cannot be removed is logged, not thrown: the VM is gone either way. */
    public static void deleteQuietly(Path directory) {
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
            log.warn("Could not delete the disk images in {}: {}", directory, e.toString());
        }
    }

    private static boolean zeros(ByteBuffer block) {
        int i = block.position();
        int end = block.limit();
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            if (block.getLong(i) != 0) {
                return false;
            }
        }
        for (; i < end; i++) {
            if (block.get(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
