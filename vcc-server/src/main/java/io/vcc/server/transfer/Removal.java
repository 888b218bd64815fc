package io.vcc.server.transfer;

import io.vcc.api.node.NodeApi;
import io.vcc.api.node.PowerRequest;
import io.vcc.api.node.PowerState;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.PackageKind;

/** Removes what a transfer moved or made on a node: a VM, a vApp's VMs (the vApp goes with its last VM) or a template. */
final class Removal {

    private Removal() {
    }

    /** What is gone already is fine: a step that removes runs again after any interruption. */
    static void remove(NodeApi node, PackageKind kind, String vdcId, String id) {
        try {
            switch (kind) {
                case VM -> removeVm(node, id);
                case VAPP -> node.vapps(vdcId).stream().filter(vapp -> vapp.id().equals(id)).findFirst()
                        .ifPresent(vapp -> vapp.vmIds().forEach(vmId -> removeVm(node, vmId)));
                case TEMPLATE -> node.deleteTemplate(id);
            }
        } catch (VccProblemException e) {
            if (e.type() != ProblemType.NOT_FOUND) {
                throw e;
            }
        }
    }

    private static void removeVm(NodeApi node, String vmId) {
        try {
            if (node.vm(vmId).state() == PowerState.POWERED_ON) {
                node.power(vmId, new PowerRequest(PowerState.POWERED_OFF));
            }
            node.deleteVm(vmId);
        } catch (VccProblemException e) {
            if (e.type() != ProblemType.NOT_FOUND) {
                throw e;
            }
        }
    }
}
