package io.vcc.node.transfer;

import io.vcc.api.transfer.PackageFile;
import io.vcc.node.adapter.ReplicationChunks;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The transfer's chunk machinery for HA disk replication (seed 001, {@code io.vcc.node.adapter.sim.ha}): chunk
 * digests taken by the {@link ChunkPipeline}, chunks received through the {@link ChunkReceiver} (verified against
 * their digest, fsynced, then checkpointed), and the {@link Checkpoints} log, whose target side of one
 * replication pass is the record of what the replica holds. It implements the adapters' {@link ReplicationChunks},
 * so that the transfer classes stay package-private and adapters do not depend on this package.
 */
@Component
class ReplicaChunks implements ReplicationChunks {

    private final ChunkPipeline hashing;
    private final ChunkReceiver receiver;
    private final Checkpoints checkpoints;

    ReplicaChunks(TransferJobs jobs, TransferProperties properties, Checkpoints checkpoints, TransferShutdown shutdown) {
        this.checkpoints = checkpoints;
        this.hashing = new ChunkPipeline(jobs.hashers, properties.pipelineBuffers(), (int) properties.bufferSize().toBytes());
        this.receiver = new ChunkReceiver(new ChunkPipeline(jobs.hashers, properties.pipelineBuffers(),
                (int) properties.receiveBufferSize().toBytes()), checkpoints, jobs.hashers, properties.commitWindow(), shutdown::stopping);
    }

    /** The SHA-256 of each chunk of the file's first {@code size} bytes; chunks of zeros are not hashed, as in an export. */
    @Override
    public List<String> digests(Path file, long size, int chunkSize) throws IOException {
        List<String> digests = new ArrayList<>();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
             ChunkPipeline.Run run = hashing.start(null, true, null, chunk -> digests.add(chunk.sha256()))) {
            ChunkPipeline.Source source = ChunkPipeline.source(in, 0);
            for (long offset = 0; offset < size; offset += chunkSize) {
                run.chunk((int) (offset / chunkSize), offset, (int) Math.min(chunkSize, size - offset), source);
            }
            run.finish();
        }
        return digests;
    }

    /** The digest of a chunk of {@code length} zeros: what every chunk of a new, sparse replica holds. */
    @Override
    public String zeros(int length) {
        return Zeros.sha256(length);
    }

    /** Starts the log of {@code file} under {@code log} (on the receiving side) unless it has one. */
    @Override
    public void open(UUID log, PackageFile file) {
        checkpoints.register(log, Checkpoints.Side.TARGET, file);
    }

    /** The offset up to which the file is committed under {@code log}. */
    @Override
    public long committed(UUID log, String name) {
        return checkpoints.committed(log, Checkpoints.Side.TARGET, name);
    }

    /**
     * Commits the chunks {@code from} to {@code to} (exclusive) without moving their bytes: the target already
     * holds them with these digests. Answers the committed offset.
     */
    @Override
    public long keep(UUID log, PackageFile file, int from, int to) {
        List<Checkpoints.Chunk> kept = new ArrayList<>(to - from);
        for (int index = from; index < to; index++) {
            kept.add(new Checkpoints.Chunk(index, file.chunkOffset(index), file.chunkLength(index), file.chunkSha256().get(index)));
        }
        return checkpoints.commitAll(log, Checkpoints.Side.TARGET, file.name(), kept);
    }

    /**
     * Sends the bytes {@code from} to {@code to} (chunk boundaries) of {@code source} into {@code target} at the same
     * offsets, each chunk verified against the file's digest and checkpointed once durable; a chunk that changed since
     * its digest was taken fails with {@code chunk-corrupt}. Answers the committed offset.
     */
    @Override
    public long receive(UUID log, PackageFile file, Path source, Path target, long from, long to) throws IOException {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            return receiver.receive(log, file, target, from, to, ChunkPipeline.source(in, from), null);
        }
    }

    /** The digests logged under {@code log} for the file's chunks, in order. */
    @Override
    public List<String> logged(UUID log, String name) {
        return checkpoints.chunkDigests(log, Checkpoints.Side.TARGET, name);
    }

    /** Drops the log. */
    @Override
    public void forget(UUID log) {
        checkpoints.delete(log);
    }
}
