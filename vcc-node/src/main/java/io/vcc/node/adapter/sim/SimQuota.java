package io.vcc.node.adapter.sim;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** A VDC's allocation: what its VMs and templates use plus what is asked must stay within the quotas. */
@Component
class SimQuota {

    private final SimVms vms;

    SimQuota(SimVms vms) {
        this.vms = vms;
    }

    SimUsage used(UUID vdcId) {
        return vms.findByVdcIdOrderByName(vdcId).stream().map(SimVm::usage).reduce(SimUsage.NONE, SimUsage::plus);
    }

    /** Refuses with {@code quota-exceeded}, naming every quota {@code what} would overrun. */
    void check(SimVdc vdc, String what, int cpus, long memoryMb, long storageGb) {
        SimUsage used = used(vdc.id());
        StringBuilder over = new StringBuilder();
        if (used.cpus() + cpus > vdc.cpuQuota()) {
            over.append(" CPUs ").append(used.cpus()).append('+').append(cpus).append(" > ").append(vdc.cpuQuota()).append(';');
        }
        if (used.memoryMb() + memoryMb > vdc.memoryMbQuota()) {
            over.append(" memory MB ").append(used.memoryMb()).append('+').append(memoryMb).append(" > ").append(vdc.memoryMbQuota()).append(';');
        }
        if (used.storageGb() + storageGb > vdc.storageGbQuota()) {
            over.append(" storage GB ").append(used.storageGb()).append('+').append(storageGb).append(" > ").append(vdc.storageGbQuota()).append(';');
        }
        if (!over.isEmpty()) {
            throw new VccProblemException(ProblemType.QUOTA_EXCEEDED, what + " does not fit in VDC "
                    + vdc.name() + ":" + over.substring(0, over.length() - 1));
        }
    }
}
