package io.vcc.node.transfer;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * Copies a byte range from a stream into a file while SHA-256 digests of the same bytes are computed on
 * other threads: the caller's thread reads and writes, one hasher thread per digest consumes the same
 * buffers. A bounded pool of buffers gives back-pressure, so hashing never serializes the stream and
 * memory stays at {@code buffers × bufferSize}.
 */
final class HashingPipeline {

    private static final Slot END = new Slot(new byte[0]);

    private final ExecutorService hashers;
    private final int buffers;
    private final int bufferSize;

    HashingPipeline(ExecutorService hashers, int buffers, int bufferSize) {
        this.hashers = hashers;
        this.buffers = Math.max(2, buffers);
        this.bufferSize = Math.max(4096, bufferSize);
    }

    /**
     * Reads exactly {@code length} bytes from {@code in}, writes them to {@code out} at {@code position}
     * (when {@code out} is not null) and feeds them to each digest; the digests are not finished, so one
     * can span several calls. {@code progress} hears of every buffer written; {@code throttle} may pause
     * the reader.
     */
    void copy(InputStream in, FileChannel out, long position, long length, List<MessageDigest> digests,
                      LongConsumer progress, LongConsumer throttle) throws IOException {
        BlockingQueue<Slot> free = new ArrayBlockingQueue<>(buffers);
        for (int i = 0; i < buffers; i++) {
            free.add(new Slot(new byte[bufferSize]));
        }
        List<BlockingQueue<Slot>> queues = new ArrayList<>();
        List<Future<?>> running = new ArrayList<>();
        for (MessageDigest digest : digests) {
            BlockingQueue<Slot> queue = new ArrayBlockingQueue<>(buffers + 1);
            queues.add(queue);
            running.add(hashers.submit(() -> {
                while (true) {
                    Slot slot = queue.take();
                    if (slot == END) {
                        return null;
                    }
                    digest.update(slot.data, 0, slot.length);
                    if (slot.pending.decrementAndGet() == 0) {
                        free.put(slot);
                    }
                }
            }));
        }
        boolean ok = false;
        try {
            long done = 0;
            while (done < length) {
                Slot slot = take(free, running);
                int want = (int) Math.min(slot.data.length, length - done);
                int got = in.readNBytes(slot.data, 0, want);
                if (got < want) {
                    throw new EOFException("stream ended after " + (done + got) + " of " + length + " bytes");
                }
                slot.length = got;
                if (throttle != null) {
                    throttle.accept(got);
                }
                if (out != null) {
                    ByteBuffer buffer = ByteBuffer.wrap(slot.data, 0, got);
                    long at = position + done;
                    while (buffer.hasRemaining()) {
                        at += out.write(buffer, at);
                    }
                }
                done += got;
                if (progress != null) {
                    progress.accept(got);
                }
                if (queues.isEmpty()) {
                    free.add(slot);
                } else {
                    slot.pending.set(queues.size());
                    for (BlockingQueue<Slot> queue : queues) {
                        queue.put(slot);
                    }
                }
            }
            ok = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while copying");
        } finally {
            for (BlockingQueue<Slot> queue : queues) {
                if (!queue.offer(END)) {
                    running.forEach(f -> f.cancel(true));
                }
            }
            if (!ok) {
                running.forEach(f -> f.cancel(true));
            }
        }
        for (Future<?> future : running) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while hashing");
            } catch (ExecutionException e) {
                throw new IOException("hashing failed", e.getCause());
            }
        }
    }

    static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    private static Slot take(BlockingQueue<Slot> free, List<Future<?>> running) throws InterruptedException, IOException {
        while (true) {
            Slot slot = free.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (slot != null) {
                return slot;
            }
            for (Future<?> future : running) {
                if (future.isDone()) {
                    try {
                        future.get();
                    } catch (ExecutionException e) {
                        throw new IOException("hashing failed", e.getCause());
                    }
                    throw new IOException("a hasher stopped early");
                }
            }
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Slot {
        final byte[] data;
        final AtomicInteger pending = new AtomicInteger();
        int length;

        Slot(byte[] data) {
            this.data = data;
        }
    }
}
