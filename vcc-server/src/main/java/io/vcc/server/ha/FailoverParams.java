package io.vcc.server.ha;

import java.util.List;
import java.util.UUID;

/** What a failover or failback run works on; kept with the run, so a restarted server goes on with the same. */
record FailoverParams(UUID failoverId, UUID nodeId, String pool, Trigger trigger, String systemId, String hypervisorId,
                      String virtualHypervisorId, List<Failover.Moved> vms) {
}
