package io.vcc.server.tenantview;

import io.vcc.api.node.CloudOverview;
import io.vcc.api.node.TenantVm;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.server.cloud.CloudDirectory;
import io.vcc.server.cloud.CloudView;
import io.vcc.server.node.NodeGateway;
import io.vcc.server.node.NodeView;
import io.vcc.server.tenant.TenantDirectory;
import io.vcc.server.tenant.TenantView;
import java.util.List;
import java.util.UUID;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
class TenantViewController {

    private final TenantDirectory tenants;
    private final CloudDirectory clouds;
    private final NodeGateway nodes;

    TenantViewController(TenantDirectory tenants, CloudDirectory clouds, NodeGateway nodes) {
        this.tenants = tenants;
        this.clouds = clouds;
        this.nodes = nodes;
    }

    /** The tenant's VMs in a shared cloud, whichever VDC they are in, as the cloud's SP node maps them. */
    @GetMapping("/api/v1/tenants/{tenantId}/clouds/{cloudId}/vms")
    List<TenantVm> tenantVms(@PathVariable UUID tenantId, @PathVariable UUID cloudId) {
        TenantView tenant = tenants.visible(tenantId);
        NodeView sp = spNode(clouds.get(cloudId));
        return nodes.spNodeApi(sp.id()).tenantVms(tenant.name());
    }

    /** Every organization of a shared cloud with its usage, and the cloud's capacity. */
    @GetMapping("/api/v1/clouds/{cloudId}/overview")
    @PreAuthorize("hasRole('ADMIN')")
    CloudOverview overview(@PathVariable UUID cloudId) {
        return nodes.spNodeApi(spNode(clouds.get(cloudId)).id()).cloud();
    }

    private NodeView spNode(CloudView cloud) {
        return nodes.spNodeFor(cloud.id()).orElseThrow(() -> new VccProblemException(ProblemType.INVALID_STATE,
                "Cloud " + cloud.name() + " has no SP node registered; the tenant mapping comes from one"));
    }
}
