package io.vcc.server.vdc;

import io.vcc.api.node.NodeApi;
import io.vcc.api.node.VdcInfo;
import io.vcc.api.node.VdcSpec;
import io.vcc.api.node.VmInfo;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.server.cloud.CloudDirectory;
import io.vcc.server.cloud.CloudView;
import io.vcc.server.node.NodeGateway;
import io.vcc.server.node.NodeView;
import io.vcc.server.security.CurrentUser;
import io.vcc.server.tenant.TenantDirectory;
import io.vcc.server.tenant.TenantView;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * VDCs and what is in them. The node is the authority on inventory; the server keeps which VDC of which
 * tenant lives where. Creating a VDC touches both: a failure after the node created it undoes that, so
 * neither side keeps half of it.
 */
@Service
public class VdcService {

    private static final Logger log = LoggerFactory.getLogger(VdcService.class);

    private final Vdcs vdcs;
    private final TenantDirectory tenants;
    private final CloudDirectory clouds;
    private final NodeGateway nodes;
    private final TransactionTemplate transactions;
    private final Clock clock;

    VdcService(Vdcs vdcs, TenantDirectory tenants, CloudDirectory clouds, NodeGateway nodes,
               TransactionTemplate transactions, Clock clock) {
        this.vdcs = vdcs;
        this.tenants = tenants;
        this.clouds = clouds;
        this.nodes = nodes;
        this.transactions = transactions;
        this.clock = clock;
    }

    VdcView create(UUID tenantId, UUID cloudId, String name, int cpuQuota, long memoryMbQuota, long storageGbQuota) {
        TenantView tenant = tenants.visible(tenantId);
        CloudView cloud = clouds.get(cloudId);
        if (vdcs.existsByTenantIdAndCloudIdAndName(tenant.id(), cloud.id(), name)) {
            throw new VccProblemException(ProblemType.DUPLICATE, "Tenant " + tenant.name() + " already has a VDC named "
                    + name + " in cloud " + cloud.name());
        }
        NodeView node = nodes.vccNodeFor(cloud.id());
        NodeApi api = nodes.nodeApi(node.id());
        VdcInfo remote = api.createVdc(new VdcSpec(tenant.name(), name, cpuQuota, memoryMbQuota, storageGbQuota));
        try {
            return transactions.execute(tx -> vdcs.save(new Vdc(tenant.id(), cloud.id(), node.id(), name, remote.id(),
                    cpuQuota, memoryMbQuota, storageGbQuota, clock.instant())).view());
        } catch (RuntimeException e) {
            undo(api, remote);
            throw e;
        }
    }

    List<VdcView> list(UUID tenantId, UUID cloudId) {
        return vdcs.findVisible(CurrentUser.tenantScope(), tenantId, cloudId).stream().map(Vdc::view).toList();
    }

    VdcView get(UUID id) {
        Vdc vdc = visible(id);
        try {
            VdcInfo live = nodes.nodeApi(vdc.nodeId()).vdc(vdc.remoteId());
            return vdc.view().withUsage(new VdcView.Usage(live.cpuUsed(), live.memoryMbUsed(), live.storageGbUsed()));
        } catch (VccProblemException e) {
            log.debug("Usage of VDC {} unavailable: {}", id, e.getMessage());
            return vdc.view();
        }
    }

    /** Changes the VDC's settings an admin may change; a setting left out (null) stays as it is. */
    VdcView update(UUID id, Boolean allowUnsignedPackages) {
        return transactions.execute(tx -> {
            Vdc vdc = visible(id);
            if (allowUnsignedPackages != null) {
                vdc.allowUnsignedPackages(allowUnsignedPackages);
                log.info("VDC {}: packages without a manifest {} by {}", id, allowUnsignedPackages ? "allowed" : "refused",
                        CurrentUser.get().username());
            }
            return vdcs.save(vdc).view();
        });
    }

    void delete(UUID id) {
        Vdc vdc = visible(id);
        try {
            nodes.nodeApi(vdc.nodeId()).deleteVdc(vdc.remoteId());
        } catch (VccProblemException e) {
            if (e.type() != ProblemType.NOT_FOUND) {
                throw e;
            }
            // Already gone from the cloud: forgetting it here is what is left to do.
        }
        transactions.executeWithoutResult(tx -> vdcs.deleteById(vdc.id()));
    }

    /** A VDC the current operator may see (another tenant's is not found), without reading its node. */
    public VdcView visibleVdc(UUID id) {
        return visible(id).view();
    }

    /** The node API and the VDC's id there, for a VDC the caller may see. */
    Target target(UUID vdcId) {
        Vdc vdc = visible(vdcId);
        return new Target(nodes.nodeApi(vdc.nodeId()), vdc.remoteId());
    }

    /** A VM of this VDC; a VM id from anywhere else is not found, whoever owns it. */
    VmInfo vm(Target target, String vmId) {
        VmInfo vm = target.node().vm(vmId);
        if (!target.remoteVdcId().equals(vm.vdcId())) {
            throw VccProblemException.notFound("VM", vmId);
        }
        return vm;
    }

    record Target(NodeApi node, String remoteVdcId) {
    }

    private Vdc visible(UUID id) {
        return vdcs.findVisible(id, CurrentUser.tenantScope()).orElseThrow(() -> VccProblemException.notFound("VDC", id));
    }

    private static void undo(NodeApi api, VdcInfo remote) {
        try {
            api.deleteVdc(remote.id());
        } catch (RuntimeException e) {
            log.error("VDC {} was created on its node but could not be recorded or removed; delete it there by hand", remote.id(), e);
        }
    }
}
