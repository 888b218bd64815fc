package io.vcc.server.ha;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One failover of a customer hypervisor onto a VH, from its trigger to its failback: what moved (each VM with the
 * hypervisor it came from) and the operations that did it. Its result names what it could not do: a VM with a
 * {@code problem} was not moved (it stays where it was, and failback leaves it there); {@code notEvacuated} are the
 * inactive VHs left on the VH's system.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Failover(UUID id, UUID poolId, UUID nodeId, String hypervisorId, String systemId, String virtualHypervisorId,
                Trigger trigger, String reason, FailoverState state, UUID operationId, UUID failbackOperationId,
                Instant createdAt, Instant updatedAt, List<Moved> vms, List<Unevacuated> notEvacuated) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Moved(String vmId, String homeHypervisorId, String problem) {

        Moved(String vmId, String homeHypervisorId) {
            this(vmId, homeHypervisorId, null);
        }
    }

    record Unevacuated(String virtualHypervisorId, String reason) {
    }
}
