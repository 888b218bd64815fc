package io.vcc.node.adapter;

import io.vcc.api.transfer.PackageFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * The transfer's chunk machinery as an adapter's disk replication uses it (seed 001: replicas in the HA pool are
 * updated chunk by chunk, only the changed ones sent). Declared here and implemented by the transfer engine, so
 * that adapters need not depend on it (the transfer engine depends on the adapters).
 */
public interface ReplicationChunks {

    /** The SHA-256 of each chunk of the file's first {@code size} bytes. */
    List<String> digests(Path file, long size, int chunkSize) throws IOException;

    /** The digest of a chunk of {@code length} zeros: what every chunk of a new, sparse replica holds. */
    String zeros(int length);

    /** Starts the log of {@code file} under {@code log} unless it has one. */
    void open(UUID log, PackageFile file);

    /** The offset up to which the file is committed under {@code log}. */
    long committed(UUID log, String name);

    /** Commits chunks {@code from} to {@code to} (exclusive) without moving their bytes; answers the committed offset. */
    long keep(UUID log, PackageFile file, int from, int to);

    /**
     * Sends the bytes {@code from} to {@code to} of {@code source} into {@code target} at the same offsets, each chunk
     * verified against the file's digest and checkpointed once durable; answers the committed offset.
     */
    long receive(UUID log, PackageFile file, Path source, Path target, long from, long to) throws IOException;

    /** The digests logged under {@code log} for the file's chunks, in order. */
    List<String> logged(UUID log, String name);

    /** Drops the log. */
    void forget(UUID log);
}
