package io.vcc.node.adapter;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;

/**
 * Catalog templates are the cloud director's, with VMs of the director's own hypervisor. A node whose
 * hypervisor is another one (libvirt beside the simulated director) could neither run nor export those
 * VMs, so it refuses template operations up front instead of failing halfway.
 */
public final class CatalogTemplates {

    private CatalogTemplates() {
    }

    public static void requireSupported(HypervisorAdapter hypervisor, CloudDirectorAdapter director) {
        if (!hypervisor.name().equals(director.name())) {
            throw new VccProblemException(ProblemType.VALIDATION, "This node does not support catalog templates: its VMs are "
                    + hypervisor.name() + " VMs and its catalog belongs to the " + director.name()
                    + " cloud director; transfer VMs or vApps instead");
        }
    }
}
