package io.vcc.server.transfer;

import io.vcc.api.node.NodeApi;
import io.vcc.api.node.VdcInfo;
import io.vcc.api.node.VmInfo;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.server.node.NodeGateway;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The checks a transfer passes before anything is written anywhere: both nodes answer, the VM is in the
 * source VDC, it fits the target VDC's quotas and its name is free there. They run when the request
 * arrives, so the caller hears at once, and again as the workflow's first step, since a queued transfer
 * may start when things have changed.
 */
@Component
class TransferPreflight {

    private static final long GIB = 1024L * 1024 * 1024;

    private final NodeGateway nodes;

    TransferPreflight(NodeGateway nodes) {
        this.nodes = nodes;
    }

    /** The VM to transfer, as the source node sees it now. */
    VmInfo check(UUID sourceNodeId, String sourceRemoteVdcId, String vmId, UUID targetNodeId, String targetRemoteVdcId,
                 String targetName) {
        NodeApi source = nodes.nodeApi(sourceNodeId);
        NodeApi target = nodes.nodeApi(targetNodeId);
        target.status();
        VmInfo vm = source.vm(vmId);
        if (!vm.vdcId().equals(sourceRemoteVdcId)) {
            throw VccProblemException.notFound("VM", vmId);
        }
        VdcInfo vdc = target.vdc(targetRemoteVdcId);
        long storageGb = (vm.disks().stream().mapToLong(d -> d.capacityBytes()).sum() + GIB - 1) / GIB;
        StringBuilder over = new StringBuilder();
        if (vdc.cpuUsed() + vm.cpus() > vdc.cpuQuota()) {
            over.append(" CPUs ").append(vdc.cpuUsed()).append('+').append(vm.cpus()).append(" > ").append(vdc.cpuQuota()).append(';');
        }
        if (vdc.memoryMbUsed() + vm.memoryMb() > vdc.memoryMbQuota()) {
            over.append(" memory MB ").append(vdc.memoryMbUsed()).append('+').append(vm.memoryMb()).append(" > ").append(vdc.memoryMbQuota()).append(';');
        }
        if (vdc.storageGbUsed() + storageGb > vdc.storageGbQuota()) {
            over.append(" storage GB ").append(vdc.storageGbUsed()).append('+').append(storageGb).append(" > ").append(vdc.storageGbQuota()).append(';');
        }
        if (!over.isEmpty()) {
            throw new VccProblemException(ProblemType.QUOTA_EXCEEDED, "VM " + vm.name() + " does not fit in the target VDC "
                    + vdc.name() + ":" + over.substring(0, over.length() - 1));
        }
        String name = targetName != null ? targetName : vm.name();
        if (target.vms(targetRemoteVdcId).stream().anyMatch(other -> other.name().equals(name))) {
            throw new VccProblemException(ProblemType.DUPLICATE, "The target VDC " + vdc.name() + " already has a VM named " + name);
        }
        return vm;
    }
}
