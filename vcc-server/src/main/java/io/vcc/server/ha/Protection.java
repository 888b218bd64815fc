package io.vcc.server.ha;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * A customer hypervisor (all its VMs; {@code vmId} null, an admin's, {@code tenantId} null) or one VM on it (a
 * tenant's) protected into a pool, with a recovery point objective: its disks are at most that far behind.
 * {@code lastReplication} is the last complete pass (null before the first), {@code replicationError} why the
 * last attempt after it failed (null when it did not).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Protection(UUID id, UUID tenantId, UUID poolId, String hypervisorId, String vmId, int rpoSeconds, Instant createdAt,
                  ReplicationPoint lastReplication, ReplicationFailure replicationError) {

    Protection(UUID id, UUID tenantId, UUID poolId, String hypervisorId, String vmId, int rpoSeconds, Instant createdAt) {
        this(id, tenantId, poolId, hypervisorId, vmId, rpoSeconds, createdAt, null, null);
    }

    /**
     * A replication pass over the protection's VMs: {@code at} is the oldest of their points (each VM's disk is at
     * least that recent in the pool); {@code chunks} were compared by digest, {@code chunksSent} had changed.
     */
    record ReplicationPoint(Instant at, int vms, int chunks, int chunksSent, long bytesSent) {
    }

    record ReplicationFailure(Instant at, String reason) {
    }
}
