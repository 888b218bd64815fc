package io.vcc.server.stretch;

import io.vcc.api.node.NicInfo;
import io.vcc.api.node.NodeApi;
import io.vcc.api.node.SegmentNetworkInfo;
import io.vcc.api.node.SegmentNodeApi;
import io.vcc.api.node.VappInfo;
import io.vcc.api.node.VmInfo;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.PackageKind;
import io.vcc.server.network.NetworkService;
import io.vcc.server.network.NetworkView;
import io.vcc.server.node.NodeGateway;
import io.vcc.server.node.NodeView;
import io.vcc.server.security.CurrentUser;
import io.vcc.server.transfer.TransferMode;
import io.vcc.server.transfer.TransferParams;
import io.vcc.server.vdc.VdcService;
import io.vcc.server.vdc.VdcView;
import io.vcc.server.workflow.OperationView;
import io.vcc.server.workflow.RunState;
import io.vcc.server.workflow.Workflows;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starts stretch deploys and their reverses: resolves the request into the run's parameters (which tenant network
 * the VMs' NICs are on, what exists at the target already), refuses at once what cannot work, with the same checks
 * the run's first step makes again, and records what went where.
 */
@Service
class StretchService {

    private final VdcService vdcs;
    private final NodeGateway nodes;
    private final NetworkService networks;
    private final Workflows workflows;
    private final StretchValidation validation;
    private final StretchDeploys deploys;
    private final StretchSettings settings;
    private final TransactionTemplate transactions;
    private final SecureRandom random = new SecureRandom();

    StretchService(VdcService vdcs, NodeGateway nodes, NetworkService networks, Workflows workflows, StretchValidation validation,
                   StretchDeploys deploys, StretchSettings settings, TransactionTemplate transactions) {
        this.vdcs = vdcs;
        this.nodes = nodes;
        this.networks = networks;
        this.workflows = workflows;
        this.validation = validation;
        this.deploys = deploys;
        this.settings = settings;
        this.transactions = transactions;
    }

    /** A stretch deploy as listed: a VM or vApp ({@code kind}, {@code sourceId}) from one VDC to another. */
    record Deploy(UUID id, String kind, UUID sourceVdcId, String sourceId, UUID targetVdcId, boolean keepSource, boolean committed,
                  UUID reverseOf) {
    }

    List<Deploy> list() {
        return deploys.list(CurrentUser.tenantScope()).stream().map(row -> new Deploy(row.id(), row.kind(), row.sourceVdcId(),
                row.sourceId(), row.targetVdcId(), row.keepSource(), row.committed(), row.reverseOf())).toList();
    }

    OperationView start(StretchRequest request) {
        boolean vm = request.vmId() != null && !request.vmId().isBlank();
        boolean vapp = request.vappId() != null && !request.vappId().isBlank();
        if (vm == vapp) {
            throw VccProblemException.invalidFields(Map.of("vmId", "name exactly one of vmId and vappId"));
        }
        VdcView source = vdcs.visibleVdc(request.sourceVdcId());
        VdcView target = vdcs.visibleVdc(request.targetVdcId());
        StretchParams params = plan(source, target, vm ? PackageKind.VM : PackageKind.VAPP, vm ? request.vmId() : request.vappId(),
                request.keep(), List.of(), null);
        return begin(params, null);
    }

    /** Brings a stretch deploy back the same way; the network leaves the target cloud if this stretch brought it there. */
    OperationView reverse(UUID id) {
        StretchDeploys.Row row = deploys.visible(id, CurrentUser.tenantScope());
        OperationView run = succeeded(id);
        if (deploys.reversed(id)) {
            throw alreadyReversed(id);
        }
        String targetId = (String) run.outputs().get(PackageKind.valueOf(row.kind()) == PackageKind.VM ? "targetVmId" : "targetVappId");
        VdcView source = vdcs.visibleVdc(row.targetVdcId());
        VdcView target = vdcs.visibleVdc(row.sourceVdcId());
        List<String> stale = row.keepSource() && !row.committed() ? row.sourceVmIds() : List.of();
        StretchParams params = plan(source, target, PackageKind.valueOf(row.kind()), targetId, false, stale,
                row.extendedNetwork() ? source : null);
        return begin(params, id);
    }

    /** Removes the source a stretch deploy kept powered off: the operator is content with the target. */
    void commit(UUID id) {
        StretchDeploys.Row row = deploys.visible(id, CurrentUser.tenantScope());
        succeeded(id);
        if (!row.keepSource() || row.committed()) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "Stretch deploy " + id + " keeps no source to commit");
        }
        VdcView source = vdcs.visibleVdc(row.sourceVdcId());
        NodeApi node = nodes.nodeApi(source.nodeId());
        row.sourceVmIds().forEach(vmId -> StretchSteps.removeVm(node, vmId));
        deploys.committed(id);
    }

    private static VccProblemException alreadyReversed(UUID id) {
        return new VccProblemException(ProblemType.INVALID_STATE, "Stretch deploy " + id + " was reversed already");
    }

    private OperationView succeeded(UUID id) {
        OperationView run = workflows.view(id, CurrentUser.tenantScope()).orElseThrow(() -> VccProblemException.notFound("Stretch deploy", id));
        if (run.state() != RunState.SUCCEEDED) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "Stretch deploy " + id + " is " + run.state() + ", not SUCCEEDED");
        }
        return run;
    }

    private OperationView begin(StretchParams params, UUID reverseOf) {
        validation.check(params);
        return transactions.execute(tx -> {
            // Checked again here, under the stretch deploy's lock: two reverses asked for at once both got past the check
            // before planning, and only one may bring the VM back.
            if (reverseOf != null && deploys.reversedLocking(reverseOf)) {
                throw alreadyReversed(reverseOf);
            }
            OperationView run = workflows.start(StretchWorkflow.TYPE, params.tenantId(), params,
                    new LinkedHashSet<>(List.of("node:" + params.sourceNodeId(), "node:" + params.targetNodeId())));
            deploys.insert(run.id(), params, reverseOf);
            return run;
        });
    }

    private StretchParams plan(VdcView source, VdcView target, PackageKind kind, String sourceId, boolean keepSource,
                               List<String> replaceVmIds, VdcView retractFrom) {
        if (!source.tenantId().equals(target.tenantId())) {
            throw new VccProblemException(ProblemType.VALIDATION, "Source and target VDC belong to different tenants");
        }
        if (source.cloudId().equals(target.cloudId())) {
            throw new VccProblemException(ProblemType.VALIDATION, "Source and target VDC are in the same cloud; a stretch deploy goes to another");
        }
        NodeApi sourceNode = nodes.nodeApi(source.nodeId());
        String name;
        List<VmInfo> vms;
        if (kind == PackageKind.VM) {
            VmInfo vm = sourceNode.vm(sourceId);
            if (!vm.vdcId().equals(source.remoteId())) {
                throw VccProblemException.notFound("VM", sourceId);
            }
            name = vm.name();
            vms = List.of(vm);
        } else {
            VappInfo vapp = sourceNode.vapps(source.remoteId()).stream().filter(v -> v.id().equals(sourceId)).findFirst()
                    .orElseThrow(() -> VccProblemException.notFound("vApp", sourceId));
            name = vapp.name();
            vms = vapp.vmIds().stream().map(sourceNode::vm).toList();
        }
        Map<String, SegmentNetworkInfo> backed = nodes.client(source.nodeId(), SegmentNodeApi.class).segmentNetworks(source.remoteId())
                .stream().collect(Collectors.toMap(SegmentNetworkInfo::name, n -> n));
        List<String> networkNames = vms.stream().flatMap(vm -> vm.nics().stream()).map(NicInfo::network).distinct().toList();
        if (networkNames.size() != 1 || !backed.containsKey(networkNames.get(0))) {
            throw new VccProblemException(ProblemType.STRETCH_REFUSED, "A stretch deploy keeps the NICs' addresses on one tenant "
                    + "network; the NICs are on " + (networkNames.isEmpty() ? "no network" : String.join(", ", networkNames))
                    + ", and the VDC's networks on a tenant network are " + (backed.isEmpty() ? "none" : String.join(", ", backed.keySet()))
                    + " (PUT /api/v1/vdcs/" + source.id() + "/segment-networks/{name})");
        }
        SegmentNetworkInfo network = backed.get(networkNames.get(0));
        NetworkView tenantNetwork = networks.onSegment(source.cloudId(), network.vni()).filter(n -> n.tenantId().equals(source.tenantId()))
                .orElseThrow(() -> new VccProblemException(ProblemType.STRETCH_REFUSED, "Network " + network.name()
                        + " is on a segment of no tenant network of the tenant"));
        boolean spanned = tenantNetwork.clouds().stream().anyMatch(span -> span.cloudId().equals(target.cloudId()));
        Optional<SegmentNetworkInfo> atTarget = nodes.client(target.nodeId(), SegmentNodeApi.class).segmentNetworks(target.remoteId())
                .stream().filter(n -> n.name().equals(network.name())).findFirst();
        if (atTarget.isPresent() && tenantNetwork.clouds().stream()
                .noneMatch(span -> span.cloudId().equals(target.cloudId()) && span.vni() == atTarget.get().vni())) {
            throw new VccProblemException(ProblemType.STRETCH_REFUSED, "The target VDC has a network named " + network.name()
                    + " on another segment");
        }
        List<StretchParams.Vm> planned = new ArrayList<>();
        for (VmInfo vm : vms) {
            List<StretchParams.Nic> nics = vm.nics().stream().map(nic -> {
                if (nic.ip() == null) {
                    throw new VccProblemException(ProblemType.STRETCH_REFUSED, "NIC " + nic.index() + " of VM " + vm.name() + " has no address");
                }
                return new StretchParams.Nic(nic.index(), nic.mac(), nic.ip());
            }).toList();
            planned.add(new StretchParams.Vm(vm.id(), vm.name(), nics));
        }
        NodeView sourceView = nodes.get(source.nodeId());
        NodeView targetView = nodes.get(target.nodeId());
        TransferParams.Direction direction = TransferParams.Direction.between(sourceView, targetView);
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return new StretchParams(source.tenantId(), source.id(), source.nodeId(), source.remoteId(), kind, sourceId, target.id(),
                target.nodeId(), target.remoteId(), name, TransferMode.MOVE, direction, settings.chunkBytes(),
                "stretch-" + Long.toHexString(random.nextLong()), nodes.seal(secret), source.cloudId(), target.cloudId(), planned,
                tenantNetwork.id(), network.name(), spanned, atTarget.isPresent(), keepSource, replaceVmIds,
                retractFrom == null ? null : retractFrom.cloudId(), retractFrom == null ? null : retractFrom.nodeId(),
                retractFrom == null ? null : retractFrom.remoteId());
    }
}
