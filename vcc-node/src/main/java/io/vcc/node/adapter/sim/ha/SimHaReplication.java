package io.vcc.node.adapter.sim.ha;

import io.vcc.api.ha.ReplicationResult;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.PackageFile;
import io.vcc.node.adapter.ReplicationChunks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Replicates a VM's disk into its replica in the pool with the transfer's machinery ({@link ReplicationChunks}): a pass
 * takes the disk's chunk digests, compares them with the digests the last point logged, logs the unchanged chunks
 * without moving them and sends only the changed ones, each verified and checkpointed once durable. They land in a
 * delta file beside the replica, so the replica always holds one whole point: only a complete pass becomes the
 * point, and is then applied to the replica (again after a crash, from the delta and the two logs).
 */
@Component
@ConditionalOnProperty(name = "vcc.adapters.hypervisor", havingValue = "sim", matchIfMissing = true)
class SimHaReplication {

    private static final String DISK = "disk";

    /** A VM's replica state ({@code sim_ha_replica}). */
    private record State(UUID point, UUID previous, UUID pass) {
    }

    private final ReplicationChunks chunks;
    private final SimHaDisks disks;
    private final SimHaProperties properties;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final Map<UUID, ReentrantLock> locks = new ConcurrentHashMap<>();

    SimHaReplication(ReplicationChunks chunks, SimHaDisks disks, SimHaProperties properties, JdbcClient jdbc, ObjectProvider<Clock> clock) {
        this.chunks = chunks;
        this.disks = disks;
        this.properties = properties;
        this.jdbc = jdbc;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /** One pass; not in a transaction of the caller's, since the receiver commits checkpoints on threads of its own. */
    ReplicationResult replicate(UUID vm, long diskBytes) {
        ReentrantLock lock = locks.computeIfAbsent(vm, id -> new ReentrantLock());
        lock.lock();
        try {
            State state = state(vm);
            apply(vm, state, diskBytes);
            if (state.pass() != null) {
                // A pass cut short is not resumed: the disk has moved on since its digests were taken.
                chunks.forget(state.pass());
                Files.deleteIfExists(disks.delta(vm, state.pass()));
            }
            UUID pass = UUID.randomUUID();
            jdbc.sql("update sim_ha_replica set pass_id = ? where vm_id = ?").params(pass, vm).update();
            // The point the replica will hold: the disk as it is when its digests are taken, from now on.
            Instant at = clock.instant();
            int chunkSize = properties.replicaChunkSize();
            List<String> digests = chunks.digests(disks.disk(vm), diskBytes, chunkSize);
            PackageFile file = new PackageFile(DISK, diskBytes, digestOf(digests), chunkSize, digests);
            List<String> known = held(state.point(), file);
            chunks.open(pass, file);
            Path delta = disks.delta(vm, pass);
            SimHaDisks.sparse(disks.replica(vm), diskBytes);
            int sent = 0;
            long bytes = 0;
            for (int from = 0; from < file.chunks(); ) {
                boolean changed = !digests.get(from).equals(known.get(from));
                int to = from + 1;
                while (to < file.chunks() && !digests.get(to).equals(known.get(to)) == changed) {
                    to++;
                }
                if (changed) {
                    chunks.receive(pass, file, disks.disk(vm), delta, file.chunkOffset(from), file.chunkOffset(to - 1) + file.chunkLength(to - 1));
                    sent += to - from;
                    bytes += file.chunkOffset(to - 1) + file.chunkLength(to - 1) - file.chunkOffset(from);
                } else {
                    chunks.keep(pass, file, from, to);
                }
                from = to;
            }
            if (chunks.committed(pass, DISK) != diskBytes) {
                throw new VccProblemException(ProblemType.INVALID_STATE, "Replication pass of VM " + vm + " ended before the disk's end");
            }
            jdbc.sql("""
                    update sim_ha_replica set previous_id = point_id, point_id = ?, pass_id = null, replica_at = ?,
                           chunks = ?, chunks_sent = ?, bytes_sent = ? where vm_id = ?""")
                    .params(pass, Timestamp.from(at), file.chunks(), sent, bytes, vm).update();
            // Not through the entity: a pass must never make a concurrent placement of the VM fail on its version.
            jdbc.sql("update sim_ha_vm set replica_at = ? where id = ?").params(Timestamp.from(at), vm).update();
            apply(vm, state(vm), diskBytes);
            return new ReplicationResult(vm.toString(), file.chunks(), sent, bytes, at);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    /** The VM's disk becomes its replica's last point (the disk as it was at the last complete pass). */
    void restore(UUID vm, long diskBytes) {
        ReentrantLock lock = locks.computeIfAbsent(vm, id -> new ReentrantLock());
        lock.lock();
        try {
            apply(vm, state(vm), diskBytes);
            disks.restoreFromReplica(vm, diskBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes the last point's changed chunks from its delta into the replica, once: the chunks whose digest differs
     * from the point before. Idempotent, so a crash anywhere in it only means doing it again.
     */
    private void apply(UUID vm, State state, long size) throws IOException {
        if (state.point() == null || state.previous() == null && !Files.exists(disks.delta(vm, state.point()))) {
            return;
        }
        Path delta = disks.delta(vm, state.point());
        if (Files.exists(delta)) {
            List<String> now = chunks.logged(state.point(), DISK);
            int chunkSize = properties.replicaChunkSize();
            PackageFile file = new PackageFile(DISK, size, "", chunkSize, now);
            List<String> before = held(state.previous(), file);
            try (FileChannel from = FileChannel.open(delta, StandardOpenOption.READ);
                 FileChannel to = FileChannel.open(disks.replica(vm), StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
                for (int index = 0; index < now.size(); index++) {
                    if (!now.get(index).equals(before.get(index))) {
                        long offset = file.chunkOffset(index);
                        long length = file.chunkLength(index);
                        for (long done = 0; done < length; ) {
                            done += from.transferTo(offset + done, length - done, to.position(offset + done));
                        }
                    }
                }
                to.force(true);
            }
            // Only once the replica is durable; from here on the two logs are not needed to apply it again.
            Files.deleteIfExists(delta);
        }
        jdbc.sql("update sim_ha_replica set previous_id = null where vm_id = ?").param(vm).update();
        if (state.previous() != null) {
            chunks.forget(state.previous());
        }
    }

    /** What the replica holds at {@code point}: its logged digests, or zeros before the first pass. */
    private List<String> held(UUID point, PackageFile file) {
        if (point != null) {
            List<String> logged = chunks.logged(point, DISK);
            if (logged.size() == file.chunks()) {
                return logged;
            }
        }
        List<String> zeros = new ArrayList<>(file.chunks());
        for (int index = 0; index < file.chunks(); index++) {
            zeros.add(chunks.zeros(file.chunkLength(index)));
        }
        return zeros;
    }

    private State state(UUID vm) {
        jdbc.sql("insert into sim_ha_replica (vm_id) values (?) on conflict do nothing").param(vm).update();
        return jdbc.sql("select point_id, previous_id, pass_id from sim_ha_replica where vm_id = ?").param(vm)
                .query((rs, n) -> new State(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class)))
                .single();
    }

    private static String digestOf(List<String> digests) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digests.forEach(d -> digest.update(d.getBytes(StandardCharsets.US_ASCII)));
            return HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
