package io.vcc.api.ha;

import io.vcc.api.node.PowerState;

/**
 * A customer VM and where it runs now ({@code hypervisorId}); {@code replicaAt} is the time of the last replica
 * of its disks in the pool (null before the first).
 */
public record HaVmInfo(String id, String tenant, String name, String hypervisorId, PowerState power, int cpus,
                       long memoryMb, HaNic nic, java.time.Instant replicaAt) {
}
