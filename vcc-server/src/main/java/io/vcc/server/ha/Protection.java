package io.vcc.server.ha;

import java.time.Instant;
import java.util.UUID;

/**
 * A customer hypervisor (all its VMs; {@code vmId} null, an admin's, {@code tenantId} null) or one VM on it (a
 * tenant's) protected into a pool, with a recovery point objective: its disks are at most that far behind.
 */
record Protection(UUID id, UUID tenantId, UUID poolId, String hypervisorId, String vmId, int rpoSeconds, Instant createdAt) {
}
