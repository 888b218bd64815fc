package io.vcc.node.transfer;

import jakarta.servlet.ServletInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * Moves the chunks of one staged file through three stages at once: the caller's thread reads the bytes into
 * block-aligned direct buffers, one thread writes them to the file ({@link StagedFileWriter}, past the page
 * cache where it can), one hashes them chunk by chunk. Nothing waits at a chunk's end: a chunk is reported to
 * the {@link ChunkSink}, in order, as soon as it is both written and hashed, while the reader is already in
 * the next ones. A bounded set of buffers, reused from run to run, is the back-pressure: hashing and writing
 * never serialize the stream, and memory stays at {@code buffers × bufferSize} per run.
 */
final class ChunkPipeline {

    /** Where a run's bytes come from: fills as much of the buffer as it can, -1 at the end. */
    interface Source {
        int read(ByteBuffer into) throws IOException;

        /** This source, telling {@code onWire} of every read and letting {@code throttle} pause after it (either may be null). */
        default Source metered(LongConsumer onWire, LongConsumer throttle) {
            return into -> {
                int n = read(into);
                if (n > 0) {
                    if (onWire != null) {
                        onWire.accept(n);
                    }
                    if (throttle != null) {
                        throttle.accept(n);
                    }
                }
                return n;
            };
        }
    }

    /** Hears of each chunk once it is written and hashed, in order, on a stage thread; throwing ends the run. */
    interface ChunkSink {
        void accept(Chunk chunk) throws IOException;
    }

    /** A chunk that is written and hashed; {@code zero} when all its bytes are zero and {@code skipZeros} left them unwritten. */
    record Chunk(int index, long position, int length, String sha256, boolean zero) {
    }

    private static final Piece END = new Piece(null, null, 0, false, false);

    private final ExecutorService threads;
    private final int buffers;
    private final int bufferSize;
    private final ConcurrentLinkedQueue<ByteBuffer> recycled = new ConcurrentLinkedQueue<>();

    ChunkPipeline(ExecutorService threads, int buffers, int bufferSize) {
        this.threads = threads;
        this.buffers = Math.max(2, buffers);
        this.bufferSize = Math.max(StagedFileWriter.ALIGNMENT, bufferSize / StagedFileWriter.ALIGNMENT * StagedFileWriter.ALIGNMENT);
    }

    /**
     * Starts a run writing to {@code out} (none: hash only). With {@code skipZeros} buffers of zeros are neither
     * written (they stay holes) nor hashed unless data follows them: a chunk of zeros gets its digest without
     * being read twice, and {@code whole} (a digest of the file, may be null) leaves out the zeros after the
     * last chunk with data, as a thin file does.
     */
    Run start(StagedFileWriter out, boolean skipZeros, MessageDigest whole, ChunkSink sink) {
        return new Run(out, skipZeros, whole, sink);
    }

    /** A stream as a source. */
    static Source source(InputStream in) {
        if (in instanceof ServletInputStream servlet) {
            // Straight from the container's buffer into ours. Tomcat leaves the buffer it reads into with
            // position and limit around the new bytes rather than after them, so it gets a slice to fill.
            return into -> {
                int n = servlet.read(into.slice());
                if (n > 0) {
                    into.position(into.position() + n);
                }
                return n;
            };
        }
        byte[] scratch = new byte[64 * 1024];
        return into -> {
            int n = in.read(scratch, 0, Math.min(scratch.length, into.remaining()));
            if (n > 0) {
                into.put(scratch, 0, n);
            }
            return n;
        };
    }

    /** A file read from {@code position} on. */
    static Source source(FileChannel in, long position) {
        long[] at = {position};
        return into -> {
            int n = in.read(into, at[0]);
            if (n > 0) {
                at[0] += n;
            }
            return n;
        };
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    final class Run implements AutoCloseable {
        private final StagedFileWriter out;
        private final boolean skipZeros;
        private final MessageDigest whole;
        private final ChunkSink sink;
        private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(buffers);
        private final BlockingQueue<Piece> toHash = new ArrayBlockingQueue<>(buffers + 1);
        private final BlockingQueue<Piece> toWrite = new ArrayBlockingQueue<>(buffers + 1);
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Future<?> hasher;
        private final Future<?> writer;
        private boolean ended;
        private boolean finished;

        private Run(StagedFileWriter out, boolean skipZeros, MessageDigest whole, ChunkSink sink) {
            this.out = out;
            this.skipZeros = skipZeros;
            this.whole = whole;
            this.sink = sink;
            for (int i = 0; i < buffers; i++) {
                ByteBuffer buffer = recycled.poll();
                free.add(buffer != null ? buffer : ByteBuffer.allocateDirect(bufferSize + StagedFileWriter.ALIGNMENT)
                        .alignedSlice(StagedFileWriter.ALIGNMENT).limit(bufferSize).slice());
            }
            // With nothing to write (a file hashed where it lies), the second stage takes the file's digest, so the
            // chunks' and the file's digests are taken at once on two threads.
            boolean hashOnly = out == null && whole != null;
            ChunkHasher chunks = new ChunkHasher(true, hashOnly ? null : whole);
            PieceStep second = hashOnly ? wholeOnly(new ChunkHasher(false, whole)) : this::write;
            this.hasher = threads.submit(() -> stage(toHash, piece -> {
                ChunkHasher.ChunkDigest digest = chunks.feed(piece.buffer, piece.zero, piece.last, piece.chunk.length);
                if (digest != null) {
                    piece.chunk.zero = digest.zero();
                    piece.chunk.sha256 = digest.sha256();
                }
            }));
            this.writer = threads.submit(() -> stage(toWrite, second));
        }

        /**
         * Reads the chunk's {@code length} bytes from {@code source} and hands them to the stages; returns once
         * they are read (not yet written or hashed). A source that ends early fails with {@link EOFException},
         * a failed stage or sink with its exception.
         */
        void chunk(int index, long position, int length, Source source) throws IOException {
            ChunkState chunk = new ChunkState(index, position, length);
            for (int done = 0; done < length; ) {
                ByteBuffer buffer = take();
                buffer.clear().limit(Math.min(buffer.capacity(), length - done));
                while (buffer.hasRemaining()) {
                    if (source.read(buffer) < 0) {
                        free.add(buffer);
                        throw new EOFException("stream ended after " + (position + done + buffer.position()) + " bytes");
                    }
                }
                buffer.flip();
                done += buffer.remaining();
                boolean zero = skipZeros && Zeros.all(buffer);
                Piece piece = new Piece(chunk, buffer, position + done - buffer.remaining(), zero, done == length);
                put(toHash, piece);
                put(toWrite, piece);
            }
        }

        /** Waits until every chunk read is written, hashed and reported; throws what failed meanwhile. */
        void finish() throws IOException {
            end();
            await(hasher);
            await(writer);
            finished = true;
            rethrow();
        }

        /**
         * Ends the run; one that did not finish drops what is still queued, and its stages finish the piece at
         * hand first (not interrupted: an interrupt would close the file under a write).
         */
        @Override
        public void close() {
            if (!finished) {
                failure.compareAndSet(null, new IOException("the run was abandoned"));
                end();
                try {
                    await(hasher);
                    await(writer);
                } catch (IOException interrupted) {
                    return;
                }
            }
            recycled.addAll(free);
        }

        private void end() {
            if (!ended) {
                ended = true;
                toHash.offer(END);
                toWrite.offer(END);
            }
        }

        private void stage(BlockingQueue<Piece> queue, PieceStep step) {
            try {
                while (true) {
                    Piece piece = queue.take();
                    if (piece == END) {
                        return;
                    }
                    if (failure.get() == null) {
                        step.accept(piece);
                    }
                    done(piece);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }

        private PieceStep wholeOnly(ChunkHasher file) {
            return piece -> file.feed(piece.buffer, piece.zero, piece.last, piece.chunk.length);
        }

        private void write(Piece piece) throws IOException {
            if (out != null && !piece.zero) {
                out.write(piece.buffer, piece.position);
            }
        }

        /** A stage is through with the piece: the second one frees its buffer and, at a chunk's end, reports the chunk. */
        private void done(Piece piece) throws IOException {
            if (piece.stagesLeft.decrementAndGet() > 0) {
                return;
            }
            free.add(piece.buffer);
            if (piece.last && failure.get() == null) {
                ChunkState chunk = piece.chunk;
                sink.accept(new Chunk(chunk.index, chunk.position, chunk.length, chunk.sha256, chunk.zero));
            }
        }

        private ByteBuffer take() throws IOException {
            try {
                while (true) {
                    rethrow();
                    ByteBuffer buffer = free.poll(100, TimeUnit.MILLISECONDS);
                    if (buffer != null) {
                        return buffer;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading");
            }
        }

        private void put(BlockingQueue<Piece> queue, Piece piece) throws IOException {
            try {
                while (!queue.offer(piece, 100, TimeUnit.MILLISECONDS)) {
                    rethrow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading");
            }
        }

        private void rethrow() throws IOException {
            Throwable e = failure.get();
            if (e == null) {
                return;
            }
            if (e instanceof IOException io) {
                throw io;
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e instanceof Error error) {
                throw error;
            }
            throw new UncheckedIOException(new IOException(e));
        }

        private void await(Future<?> stage) throws IOException {
            try {
                stage.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while finishing");
            } catch (ExecutionException e) {
                failure.compareAndSet(null, e.getCause());
            }
        }
    }

    @FunctionalInterface
    private interface PieceStep {
        void accept(Piece piece) throws IOException;
    }

    private static final class ChunkState {
        final int index;
        final long position;
        final int length;
        volatile String sha256;
        volatile boolean zero;

        ChunkState(int index, long position, int length) {
            this.index = index;
            this.position = position;
            this.length = length;
        }
    }

    /** A buffer of one chunk on its way through both stages. */
    private static final class Piece {
        final ChunkState chunk;
        final ByteBuffer buffer;
        final long position;
        final boolean zero;
        final boolean last;
        final AtomicInteger stagesLeft = new AtomicInteger(2);

        Piece(ChunkState chunk, ByteBuffer buffer, long position, boolean zero, boolean last) {
            this.chunk = chunk;
            this.buffer = buffer;
            this.position = position;
            this.zero = zero;
            this.last = last;
        }
    }
}
