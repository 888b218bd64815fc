package io.vcc.node.transfer;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.PackageFile;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of a transfer, for an upload (push) and a download (pull) alike: takes a run of whole
 * chunks of one package file from a stream, writes each to the staged file while it is hashed (the
 * {@link ChunkPipeline}), and hands every chunk whose SHA-256 matches the package's to a committer thread
 * that fsyncs the file and only then logs the checkpoint. So the next chunk arrives while the previous ones
 * become durable, and no checkpoint ever names a chunk that is not on disk. At most {@code window} verified
 * chunks wait for their checkpoint; should the node die then, {@link #recover} finds them intact in the
 * staged file and commits them without asking the peer for them again.
 */
final class ChunkReceiver {

    private static final Logger log = LoggerFactory.getLogger(ChunkReceiver.class);
    private static final Checkpoints.Chunk END = new Checkpoints.Chunk(-1, -1, 0, "");

    private final ChunkPipeline pipeline;
    private final Checkpoints checkpoints;
    private final ExecutorService committers;
    private final int window;
    private final BooleanSupplier stopping;

    ChunkReceiver(ChunkPipeline pipeline, Checkpoints checkpoints, ExecutorService committers, int window,
                  BooleanSupplier stopping) {
        this.pipeline = pipeline;
        this.checkpoints = checkpoints;
        this.committers = committers;
        this.window = Math.max(1, window);
        this.stopping = stopping;
    }

    /**
     * Receives the chunks from {@code offset} (the committed offset, a chunk boundary) to {@code end} (a chunk
     * boundary or the file's end) and answers the committed offset once every verified chunk is logged. A
     * chunk whose digest is wrong stops the run with {@link ProblemType#CHUNK_CORRUPT}, a stream that breaks
     * stops it with its exception, and the node stopping with {@link ProblemType#NODE_UNAVAILABLE}, each
     * after the chunks before are committed.
     * {@code committed} hears of each new committed offset.
     */
    long receive(UUID transferId, PackageFile file, Path path, long offset, long end, ChunkPipeline.Source source,
                 LongConsumer committed) throws IOException {
        try (StagedFileWriter out = StagedFileWriter.open(path, false, true)) {
            Committer committer = new Committer(transferId, file, out, committed, offset);
            Future<?> running = committers.submit(committer);
            try (ChunkPipeline.Run run = pipeline.start(out, false, null, chunk -> {
                String expected = file.chunkSha256().get(chunk.index());
                if (!chunk.sha256().equals(expected)) {
                    throw new VccProblemException(ProblemType.CHUNK_CORRUPT, "Chunk " + chunk.index() + " of " + file.name()
                            + " arrived with SHA-256 " + chunk.sha256() + ", expected " + expected);
                }
                committer.offer(new Checkpoints.Chunk(chunk.index(), chunk.position(), chunk.length(), expected), running);
            })) {
                try {
                    for (long position = offset; position < end; ) {
                        if (stopping.getAsBoolean()) {
                            throw new VccProblemException(ProblemType.NODE_UNAVAILABLE, "The node is stopping; " + file.name()
                                    + " is committed up to " + position + " once the chunks before are logged");
                        }
                        int index = (int) (position / file.chunkSize());
                        int length = file.chunkLength(index);
                        run.chunk(index, position, length, source);
                        position += length;
                    }
                } catch (IOException | RuntimeException e) {
                    // The whole chunks read before the break are still verified and committed.
                    try {
                        run.finish();
                    } catch (IOException | RuntimeException earlier) {
                        if (earlier != e) {
                            e.addSuppressed(earlier);
                        }
                    }
                    throw e;
                }
                run.finish();
            } finally {
                committer.finish(running);
            }
            return committer.committed;
        }
    }

    /**
     * Commits the chunks after the committed offset that are already intact in the staged file (received
     * and verified, but the node stopped before their checkpoint): at most {@code window + 1}, each only if
     * its bytes hash to the package's digest, and only after an fsync. Answers the committed offset.
     */
    long recover(UUID transferId, PackageFile file, Path path) throws IOException {
        long committed = checkpoints.committed(transferId, Checkpoints.Side.TARGET, file.name());
        if (committed >= file.size() || !Files.exists(path)) {
            return committed;
        }
        List<Checkpoints.Chunk> intact = new ArrayList<>();
        try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = in.size();
            ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
            long position = committed;
            while (intact.size() <= window && position < file.size()) {
                int index = (int) (position / file.chunkSize());
                int length = file.chunkLength(index);
                if (position + length > size) {
                    break;
                }
                MessageDigest digest = ChunkPipeline.sha256();
                for (long at = position; at < position + length; ) {
                    buffer.clear().limit((int) Math.min(buffer.capacity(), position + length - at));
                    int n = in.read(buffer, at);
                    if (n < 0) {
                        break;
                    }
                    digest.update(buffer.array(), 0, n);
                    at += n;
                }
                String expected = file.chunkSha256().get(index);
                if (!ChunkPipeline.hex(digest).equals(expected)) {
                    break;
                }
                intact.add(new Checkpoints.Chunk(index, position, length, expected));
                position += length;
            }
            if (intact.isEmpty()) {
                return committed;
            }
            in.force(false);
        }
        long now = checkpoints.commitAll(transferId, Checkpoints.Side.TARGET, file.name(), intact);
        log.info("Transfer {}: {} chunk(s) of {} were intact on disk without a checkpoint; committed to {}",
                transferId, intact.size(), file.name(), now);
        return now;
    }

    /**
     * Commits the chunks of zeros at the committed offset without receiving them: the package's digests say
     * what they hold, and they stay holes in the staged file (which is extended to its size should they end
     * it). Answers the committed offset.
     */
    long commitZeros(UUID transferId, PackageFile file, Path path) throws IOException {
        long committed = checkpoints.committed(transferId, Checkpoints.Side.TARGET, file.name());
        List<Checkpoints.Chunk> zeros = new ArrayList<>();
        long position = committed;
        for (int index = (int) (position / file.chunkSize()); position < file.size() && Zeros.chunk(file, index); index++) {
            zeros.add(new Checkpoints.Chunk(index, position, file.chunkLength(index), file.chunkSha256().get(index)));
            position += file.chunkLength(index);
        }
        if (zeros.isEmpty()) {
            return committed;
        }
        if (position == file.size()) {
            try (RandomAccessFile out = new RandomAccessFile(path.toFile(), "rw")) {
                if (out.length() < file.size()) {
                    out.setLength(file.size());
                }
                out.getFD().sync();
            }
        }
        return checkpoints.commitAll(transferId, Checkpoints.Side.TARGET, file.name(), zeros);
    }

    /** fsyncs the file, then logs the chunks verified meanwhile, in order and in one transaction. */
    private final class Committer implements Runnable {
        private final UUID transferId;
        private final PackageFile file;
        private final StagedFileWriter out;
        private final LongConsumer listener;
        private final BlockingQueue<Checkpoints.Chunk> queue = new ArrayBlockingQueue<>(window + 1);
        private volatile long committed;

        Committer(UUID transferId, PackageFile file, StagedFileWriter out, LongConsumer listener, long committed) {
            this.transferId = transferId;
            this.file = file;
            this.out = out;
            this.listener = listener;
            this.committed = committed;
        }

        @Override
        public void run() {
            List<Checkpoints.Chunk> batch = new ArrayList<>();
            try {
                while (true) {
                    batch.clear();
                    batch.add(queue.take());
                    queue.drainTo(batch);
                    boolean last = batch.remove(END);
                    if (!batch.isEmpty()) {
                        out.force();
                        long now = checkpoints.commitAll(transferId, Checkpoints.Side.TARGET, file.name(), batch);
                        if (listener != null && now > committed) {
                            listener.accept(now - committed);
                        }
                        committed = now;
                    }
                    if (last) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** Waits while {@code window} chunks already wait for their checkpoint; fails if the committer did. */
        void offer(Checkpoints.Chunk chunk, Future<?> running) throws IOException {
            try {
                while (!queue.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                    if (running.isDone()) {
                        await(running);
                        throw new IOException("the checkpoint committer stopped");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for checkpoints");
            }
        }

        /** Lets the committer log what it has and stop; waits for it. */
        void finish(Future<?> running) throws IOException {
            try {
                while (!running.isDone() && !queue.offer(END, 100, TimeUnit.MILLISECONDS)) {
                    // the committer is busy; it takes END once there is room
                }
            } catch (InterruptedException e) {
                running.cancel(true);
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while committing");
            }
            await(running);
        }

        private static void await(Future<?> running) throws IOException {
            try {
                running.get();
            } catch (InterruptedException e) {
                running.cancel(true);
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while committing");
            } catch (ExecutionException e) {
                throw e.getCause() instanceof java.io.UncheckedIOException io ? io.getCause()
                        : new IOException("committing checkpoints failed", e.getCause());
            }
        }
    }
}
