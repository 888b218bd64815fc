package io.vcc.node.adapter.sim;

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
        vdc.toInfo(used(vdc.id())).requireRoomFor(what, cpus, memoryMb, storageGb);
    }
}
