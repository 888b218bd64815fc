package io.vcc.node.transfer;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a staged package file past the page cache (O_DIRECT) where the file system allows it. Copying
 * into the page cache was most of a transfer's CPU (on a virtual machine more than hashing), and the cache
 * is better left to the bytes that are read again soon. Pieces that are not block-aligned (a file's tail,
 * small chunk sizes) and file systems without O_DIRECT (tmpfs) take the buffered path; {@link #force()}
 * makes both durable.
 */
final class StagedFileWriter implements Closeable {

    /** The alignment of {@link ChunkPipeline}'s buffers; O_DIRECT is used where the file system's block divides it. */
    static final int ALIGNMENT = 4096;

    private static final Logger log = LoggerFactory.getLogger(StagedFileWriter.class);

    private final Path path;
    private final FileChannel buffered;
    private FileChannel direct;

    private StagedFileWriter(Path path, FileChannel buffered, FileChannel direct) {
        this.path = path;
        this.buffered = buffered;
        this.direct = direct;
    }

    /**
     * Opens (creating) the file for writing; {@code truncate} empties it first. {@code pastCache} asks for
     * O_DIRECT: right for bytes that are only read again much later.
     */
    static StagedFileWriter open(Path path, boolean truncate, boolean pastCache) throws IOException {
        FileChannel buffered = truncate
                ? FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)
                : FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileChannel direct = null;
        try {
            long block = Files.getFileStore(path).getBlockSize();
            if (pastCache && block > 0 && ALIGNMENT % block == 0) {
                direct = FileChannel.open(path, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
            }
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("No direct I/O for {}: {}", path, e.toString());
        }
        return new StagedFileWriter(path, buffered, direct);
    }

    /** Writes the buffer's remaining bytes at {@code position}; the buffer's position is left as it was. */
    void write(ByteBuffer buffer, long position) throws IOException {
        ByteBuffer bytes = buffer.duplicate();
        if (direct != null && position % ALIGNMENT == 0 && bytes.remaining() % ALIGNMENT == 0 && aligned(bytes)) {
            try {
                writeFully(direct, bytes, position);
                return;
            } catch (IOException e) {
                // A file system may accept the flag and refuse the write (EINVAL); the buffered path still works.
                log.info("Direct I/O refused for {} ({}); writing through the page cache", path, e.getMessage());
                direct.close();
                direct = null;
                bytes = buffer.duplicate();
            }
        }
        writeFully(buffered, bytes, position);
    }

    /** Makes the file as long as {@code size}: cut, or grown with a hole. */
    void setLength(long size) throws IOException {
        if (buffered.size() > size) {
            buffered.truncate(size);
        } else if (buffered.size() < size) {
            buffered.write(ByteBuffer.allocate(1), size - 1);
        }
    }

    /** Everything written so far is on the device; fsync works on the file, so either channel's writes count. */
    void force() throws IOException {
        buffered.force(false);
    }

    @Override
    public void close() throws IOException {
        try (buffered) {
            if (direct != null) {
                direct.close();
            }
        }
    }

    private static boolean aligned(ByteBuffer bytes) {
        return bytes.isDirect() && bytes.alignmentOffset(bytes.position(), ALIGNMENT) == 0;
    }

    private static void writeFully(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
        long at = position;
        while (bytes.hasRemaining()) {
            at += channel.write(bytes, at);
        }
    }
}
