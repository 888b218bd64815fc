package io.vcc.server.ha;

import java.time.Instant;
import java.util.UUID;

/**
 * An HA pool: the physical systems of a node's cloud that carry this pool name and nest inactive VHs.
 * {@code burstThresholdPercent} is its capacity-burst policy: the CPU load of a protected customer hypervisor at
 * which VMs move to a VH of the pool live (null: no bursting).
 */
record Pool(UUID id, UUID nodeId, String name, Instant createdAt, Integer burstThresholdPercent) {

    Pool(UUID id, UUID nodeId, String name, Instant createdAt) {
        this(id, nodeId, name, createdAt, null);
    }
}
