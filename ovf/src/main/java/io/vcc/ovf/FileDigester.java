package io.vcc.ovf;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Digests a whole file with the reading and the hashing on two threads, so a multi-GiB disk costs the
 * slower of the two instead of their sum. Reads go past the page cache (O_DIRECT) where the file system
 * allows it: a package is verified once, and filling the cache with it costs more CPU than the hashing on
 * a virtual machine. Refuses links, so a package cannot point outside its directory.
 */
final class FileDigester {

    private static final int ALIGNMENT = 4096;
    private static final int BUFFER_SIZE = 4 << 20;
    private static final int BUFFERS = 3;
    private static final ByteBuffer END = ByteBuffer.allocate(0);

    private FileDigester() {
    }

    /** Feeds the whole file to every digest; answers how many bytes it had. */
    static long digest(Path file, Collection<MessageDigest> digests) throws IOException {
        try (FileChannel in = open(file)) {
            BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(BUFFERS);
            BlockingQueue<ByteBuffer> full = new ArrayBlockingQueue<>(BUFFERS + 1);
            for (int i = 0; i < BUFFERS; i++) {
                free.add(ByteBuffer.allocateDirect(BUFFER_SIZE + ALIGNMENT).alignedSlice(ALIGNMENT).limit(BUFFER_SIZE).slice());
            }
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread hasher = new Thread(() -> {
                try {
                    for (ByteBuffer bytes = full.take(); bytes != END; bytes = full.take()) {
                        for (MessageDigest digest : digests) {
                            digest.update(bytes.duplicate());
                        }
                        free.add(bytes);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException | Error e) {
                    failure.set(e);
                }
            }, "file-digester");
            hasher.setDaemon(true);
            hasher.start();
            try {
                long size = 0;
                boolean more = true;
                while (more) {
                    ByteBuffer bytes = take(free, failure);
                    bytes.clear();
                    int n = in.read(bytes, size);
                    // A regular file reads short only at its end; reading on from an unaligned end would fail
                    // under O_DIRECT, so a short read is the last one.
                    more = n == bytes.capacity();
                    if (n > 0) {
                        size += n;
                        full.add(bytes.flip());
                    } else {
                        free.add(bytes);
                    }
                }
                full.add(END);
                hasher.join();
                if (failure.get() != null) {
                    throw new IOException("hashing " + file.getFileName() + " failed", failure.get());
                }
                return size;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while digesting " + file.getFileName());
            } finally {
                hasher.interrupt();
            }
        }
    }

    private static FileChannel open(Path file) throws IOException {
        OpenOption[] buffered = {StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS};
        try {
            long block = Files.getFileStore(file).getBlockSize();
            if (block > 0 && ALIGNMENT % block == 0) {
                return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS, ExtendedOpenOption.DIRECT);
            }
        } catch (IOException | UnsupportedOperationException noDirectIo) {
            // tmpfs and some others refuse O_DIRECT: read through the cache
        }
        return FileChannel.open(file, buffered);
    }

    private static ByteBuffer take(BlockingQueue<ByteBuffer> free, AtomicReference<Throwable> failure)
            throws InterruptedException, IOException {
        while (true) {
            ByteBuffer bytes = free.poll(100, TimeUnit.MILLISECONDS);
            if (bytes != null) {
                return bytes;
            }
            if (failure.get() != null) {
                throw new IOException("hashing failed", failure.get());
            }
        }
    }
}
