package io.vcc.node.transfer;

import io.vcc.api.transfer.CheckpointLog;
import io.vcc.api.transfer.PackageFile;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The checkpoint log of every transfer this node takes part in (seed 002, FIG. 18, step 1822): per file
 * the committed offset, per chunk its digest. Callers write a checkpoint only after the chunk is durable on
 * disk; a chunk is committed exactly at the file's committed offset, so the log never has holes.
 */
@Component
class Checkpoints {

    enum Side { SOURCE, TARGET }

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final Clock clock;

    Checkpoints(JdbcClient jdbc, JdbcTemplate batches, ObjectProvider<Clock> clock) {
        this.jdbc = jdbc;
        this.batches = batches;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /** Starts the log of a file unless it has one. */
    void register(UUID transferId, Side side, PackageFile file) {
        jdbc.sql("""
                        insert into transfer_file (transfer_id, side, name, size, sha256, chunk_size, committed_offset, updated_at)
                        values (?, ?, ?, ?, ?, ?, 0, ?) on conflict do nothing""")
                .params(transferId, side.name(), file.name(), file.size(), file.sha256(), file.chunkSize(), now())
                .update();
    }

    /** The offset up to which the file is committed; 0 when nothing is logged. */
    long committed(UUID transferId, Side side, String name) {
        return jdbc.sql("select committed_offset from transfer_file where transfer_id = ? and side = ? and name = ?")
                .params(transferId, side.name(), name).query(Long.class).optional().orElse(0L);
    }

    /**
     * Logs a durable chunk that starts at the committed offset and moves the offset past it. Returns the
     * new committed offset; a chunk that does not start there changes nothing (a repeat is harmless).
     */
    @Transactional
    long commit(UUID transferId, Side side, String name, int index, long offset, int length, String sha256) {
        int moved = jdbc.sql("""
                        update transfer_file set committed_offset = ?, updated_at = ?
                        where transfer_id = ? and side = ? and name = ? and committed_offset = ?""")
                .params(offset + length, now(), transferId, side.name(), name, offset).update();
        if (moved == 1) {
            jdbc.sql("""
                            insert into transfer_chunk (transfer_id, side, name, idx, start_offset, length, sha256, committed_at)
                            values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (transfer_id, side, name, idx)
                            do update set start_offset = excluded.start_offset, length = excluded.length,
                                          sha256 = excluded.sha256, committed_at = excluded.committed_at""")
                    .params(transferId, side.name(), name, index, offset, length, sha256, now()).update();
        }
        return committed(transferId, side, name);
    }

    /** A durable chunk to log: its index, where it starts, its length and digest. */
    record Chunk(int index, long offset, int length, String sha256) {
    }

    /**
     * Logs durable chunks, in order, in one transaction (one WAL flush for all of them, which is what lets a
     * receiver that fell behind catch up). Returns the new committed offset; chunks that do not continue the
     * log change nothing, as in {@link #commit}.
     */
    @Transactional
    long commitAll(UUID transferId, Side side, String name, List<Chunk> chunks) {
        long committed = committed(transferId, side, name);
        List<Chunk> run = new ArrayList<>();
        long end = committed;
        for (Chunk chunk : chunks) {
            if (chunk.offset() == end) {
                run.add(chunk);
                end += chunk.length();
            }
        }
        return run.isEmpty() ? committed : commitRun(transferId, side, name, committed, end, run);
    }

    /**
     * What the other end reports as committed (the source's side of the log in a pull): moves the
     * source's offset forward only, and logs the chunks it covers with the digests the source exported.
     */
    @Transactional
    void peerCommitted(UUID transferId, PackageFile file, long peerOffset) {
        long current = committed(transferId, Side.SOURCE, file.name());
        List<Chunk> run = new ArrayList<>();
        long end = current;
        for (int index = (int) (current / file.chunkSize()); end < peerOffset && index < file.chunks(); index++) {
            int length = file.chunkLength(index);
            if (end + length > peerOffset) {
                break;
            }
            run.add(new Chunk(index, end, length, file.chunkSha256().get(index)));
            end += length;
        }
        if (!run.isEmpty()) {
            commitRun(transferId, Side.SOURCE, file.name(), current, end, run);
        }
    }

    /**
     * Moves the offset from {@code from} to {@code to} and logs the run of chunks between in batches: a run of
     * tens of thousands of small chunks (the zeros of a thin disk) is logged in seconds, not a statement each.
     */
    private long commitRun(UUID transferId, Side side, String name, long from, long to, List<Chunk> run) {
        int moved = jdbc.sql("""
                        update transfer_file set committed_offset = ?, updated_at = ?
                        where transfer_id = ? and side = ? and name = ? and committed_offset = ?""")
                .params(to, now(), transferId, side.name(), name, from).update();
        if (moved == 1) {
            java.sql.Timestamp now = now();
            batches.batchUpdate("""
                            insert into transfer_chunk (transfer_id, side, name, idx, start_offset, length, sha256, committed_at)
                            values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (transfer_id, side, name, idx)
                            do update set start_offset = excluded.start_offset, length = excluded.length,
                                          sha256 = excluded.sha256, committed_at = excluded.committed_at""",
                    run, 1000, (statement, chunk) -> {
                        statement.setObject(1, transferId);
                        statement.setString(2, side.name());
                        statement.setString(3, name);
                        statement.setInt(4, chunk.index());
                        statement.setLong(5, chunk.offset());
                        statement.setInt(6, chunk.length());
                        statement.setString(7, chunk.sha256());
                        statement.setTimestamp(8, now);
                    });
        }
        return committed(transferId, side, name);
    }

    /** The digests the log holds for the file's chunks, in chunk order (each one logged only once its chunk was durable). */
    List<String> chunkDigests(UUID transferId, Side side, String name) {
        return jdbc.sql("select sha256 from transfer_chunk where transfer_id = ? and side = ? and name = ? order by idx")
                .params(transferId, side.name(), name).query(String.class).list();
    }

    CheckpointLog log(UUID transferId) {
        List<CheckpointLog.Entry> entries = jdbc.sql("""
                        select f.side, f.name, f.size, f.committed_offset,
                               (select count(*) from transfer_chunk c where c.transfer_id = f.transfer_id and c.side = f.side and c.name = f.name) as chunks
                        from transfer_file f where f.transfer_id = ? order by f.side, f.name""")
                .param(transferId)
                .query((rs, row) -> new CheckpointLog.Entry(rs.getString("side"), rs.getString("name"), rs.getLong("size"),
                        rs.getLong("committed_offset"), rs.getInt("chunks")))
                .list();
        return new CheckpointLog(transferId.toString(), entries, imported(transferId).orElse(null));
    }

    Optional<String> imported(UUID transferId) {
        return jdbc.sql("select vm_id from transfer_import where transfer_id = ?").param(transferId).query(String.class).optional();
    }

    void recordImport(UUID transferId, String vmId) {
        jdbc.sql("insert into transfer_import (transfer_id, vm_id, created_at) values (?, ?, ?)").params(transferId, vmId, now()).update();
    }

    @Transactional
    void delete(UUID transferId) {
        jdbc.sql("delete from transfer_file where transfer_id = ?").param(transferId).update();
        jdbc.sql("delete from transfer_grant where transfer_id = ?").param(transferId).update();
        jdbc.sql("delete from transfer_import where transfer_id = ?").param(transferId).update();
    }

    private java.sql.Timestamp now() {
        return java.sql.Timestamp.from(Instant.now(clock));
    }
}
