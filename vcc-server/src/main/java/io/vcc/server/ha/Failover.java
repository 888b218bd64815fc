package io.vcc.server.ha;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One failover of a customer hypervisor onto a VH, from its trigger to its failback: what moved (each VM with the
 * hypervisor it came from) and the operations that did it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Failover(UUID id, UUID poolId, UUID nodeId, String hypervisorId, String systemId, String virtualHypervisorId,
                Trigger trigger, String reason, FailoverState state, UUID operationId, UUID failbackOperationId,
                Instant createdAt, Instant updatedAt, List<Moved> vms) {

    record Moved(String vmId, String homeHypervisorId) {
    }
}
