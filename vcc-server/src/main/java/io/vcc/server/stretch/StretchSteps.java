package io.vcc.server.stretch;

import io.vcc.api.node.NicPlacement;
import io.vcc.api.node.NodeApi;
import io.vcc.api.node.PowerRequest;
import io.vcc.api.node.PowerState;
import io.vcc.api.node.SegmentNodeApi;
import io.vcc.api.node.VappInfo;
import io.vcc.api.node.VmInfo;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.CheckpointLog;
import io.vcc.api.transfer.ImportRequest;
import io.vcc.api.transfer.JobState;
import io.vcc.api.transfer.PackageKind;
import io.vcc.api.transfer.TransferJobStatus;
import io.vcc.api.transfer.TransferNodeApi;
import io.vcc.server.node.NodeGateway;
import io.vcc.server.workflow.Step;
import io.vcc.server.workflow.StepContext;
import io.vcc.server.workflow.StepOutcome;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * The stretch deploy's own steps, each with its compensation beside it (the copy is the transfer's steps, see
 * {@link StretchWorkflow}; the network in the target cloud is {@link StretchTargetNetwork}'s, the cut-over
 * {@link StretchCutOver}'s). Every step is idempotent: it runs again after a restart of the server.
 */
@Component
class StretchSteps {

    /** A source VM and its copy at the target. */
    record Pair(String sourceVmId, String targetVmId, String name) {
    }

    /**
     * What the deploy step made at the target: the VM or vApp and each VM's copy; and which source VMs were powered
     * on as it ended (read then, so that a cut-over run again after a restart powers on the same ones).
     */
    record Deployed(String targetId, List<Pair> vms, List<String> poweredOnSourceVmIds) {
    }

    /** Which VMs were powered on at the source when the cut-over began (they are powered on at the target). */
    record CutOver(List<String> poweredOnSourceVmIds) {
    }

    private final NodeGateway nodes;
    private final StretchValidation validation;
    private final StretchSettings settings;
    private final StretchTargetNetwork targetNetwork;
    private final StretchCutOver cutOver;

    private final Step<Void> validateStep;
    private final Step<Integer> infrastructureStep;
    private final Step<Deployed> deployStep;
    private final Step<CutOver> cutOverStep;
    private final Step<Void> removeSourceStep;
    private final Step<Boolean> retractStep;

    StretchSteps(NodeGateway nodes, StretchValidation validation, StretchSettings settings, StretchTargetNetwork targetNetwork,
                 StretchCutOver cutOver) {
        this.nodes = nodes;
        this.validation = validation;
        this.settings = settings;
        this.targetNetwork = targetNetwork;
        this.cutOver = cutOver;
        this.validateStep = Step.of("validate", Void.class, this::validate);
        this.infrastructureStep = Step.of("infrastructure", Integer.class, this::infrastructure)
                .compensatedBy(context -> targetNetwork.dismantle(params(context), context.runId()));
        this.deployStep = Step.of("deploy", Deployed.class, this::deploy).compensatedBy(this::undeploy);
        // Past this point the VM runs at the target (or the step put it back at the source itself): never undone.
        this.cutOverStep = Step.of("cut-over", CutOver.class,
                context -> cutOver.run(context, context.result(deployStep).orElseThrow())).asPointOfNoReturn();
        this.removeSourceStep = Step.of("remove-source", Void.class, this::removeSource).onlyIf(c -> !params(c).keepSource());
        this.retractStep = Step.of("retract", Boolean.class, this::retract).onlyIf(c -> params(c).retractFromCloud() != null);
    }

    Step<Void> validate() {
        return validateStep;
    }

    Step<Integer> infrastructure() {
        return infrastructureStep;
    }

    Step<Deployed> deploy() {
        return deployStep;
    }

    Step<CutOver> cutOver() {
        return cutOverStep;
    }

    Step<Void> removeSource() {
        return removeSourceStep;
    }

    Step<Boolean> retract() {
        return retractStep;
    }

    // ---- validate -----------------------------------------------------------------------------------

    private StepOutcome<Void> validate(StepContext context) {
        StretchParams p = params(context);
        validation.check(p);
        context.output("runningAt", "source");
        return StepOutcome.done(null);
    }

    // ---- infrastructure: the network into the target cloud, a routed VDC network on its segment --------

    private StepOutcome<Integer> infrastructure(StepContext context) {
        StretchTargetNetwork.InTarget in = targetNetwork.bringIn(params(context));
        context.output("network", in.network());
        context.output("targetVni", in.vni());
        return StepOutcome.done(in.vni());
    }

    // ---- deploy: import with the same MACs, each NIC on the segment with its IP; left powered off ------

    private StepOutcome<Deployed> deploy(StepContext context) {
        StretchParams p = params(context);
        NodeApi target = nodes.nodeApi(p.targetNodeId());
        for (String stale : p.replaceVmIds()) {
            removeVm(target, stale);
        }
        TransferJobStatus status = transfers(p.targetNodeId()).importPackage(id(context),
                new ImportRequest(p.targetRemoteVdcId(), p.targetName(), true, p.kind()));
        context.progress(status.bytesDone(), status.bytesTotal());
        if (status.state() == JobState.FAILED) {
            ProblemType type = ProblemType.fromUri(URI.create("urn:vcc:problem:" + status.errorType()));
            throw new VccProblemException(type == null || type == ProblemType.NODE_UNAVAILABLE ? ProblemType.TRANSFER_FAILED : type,
                    "The import failed on the target: " + status.error());
        }
        if (status.state() != JobState.DONE) {
            return StepOutcome.waitFor(settings.pollInterval());
        }
        String imported = status.importedId();
        Map<String, String> byName = new java.util.HashMap<>();
        if (p.kind() == PackageKind.VM) {
            byName.put(target.vm(imported).name(), imported);
        } else {
            VappInfo vapp = target.vapps(p.targetRemoteVdcId()).stream().filter(v -> v.id().equals(imported)).findFirst()
                    .orElseThrow(() -> VccProblemException.notFound("vApp", imported));
            vapp.vmIds().forEach(vmId -> byName.put(target.vm(vmId).name(), vmId));
        }
        List<Pair> pairs = new ArrayList<>();
        for (StretchParams.Vm vm : p.vms()) {
            String copy = byName.get(vm.name());
            if (copy == null) {
                throw new VccProblemException(ProblemType.TRANSFER_FAILED, "The target has no copy of VM " + vm.name());
            }
            for (StretchParams.Nic nic : vm.nics()) {
                segments(p.targetNodeId()).placeNic(copy, nic.index(), new NicPlacement(p.networkName(), nic.mac(), nic.ip()));
            }
            pairs.add(new Pair(vm.sourceVmId(), copy, vm.name()));
        }
        NodeApi source = nodes.nodeApi(p.sourceNodeId());
        List<String> on = pairs.stream().map(Pair::sourceVmId).filter(vmId -> source.vm(vmId).state() == PowerState.POWERED_ON).toList();
        context.output(p.kind() == PackageKind.VM ? "targetVmId" : "targetVappId", imported);
        context.output("targetVmIds", pairs.stream().map(Pair::targetVmId).toList());
        return StepOutcome.done(new Deployed(imported, pairs, on));
    }

    private void undeploy(StepContext context) {
        StretchParams p = params(context);
        NodeApi target = nodes.nodeApi(p.targetNodeId());
        CheckpointLog log = transfers(p.targetNodeId()).checkpoints(id(context));
        String imported = log.importedId() != null ? log.importedId() : context.result(deployStep).map(Deployed::targetId).orElse(null);
        if (imported == null) {
            return;
        }
        if (p.kind() == PackageKind.VM) {
            removeVm(target, imported);
        } else {
            target.vapps(p.targetRemoteVdcId()).stream().filter(v -> v.id().equals(imported)).findFirst()
                    .ifPresent(vapp -> vapp.vmIds().forEach(vmId -> removeVm(target, vmId)));
        }
    }

    // ---- after the cut-over ------------------------------------------------------------------------------

    /**
     * Removes the powered-off source VMs. A VM already gone counts as removed: the server or the source node may have
     * died after the node removed it and before the step was recorded done. A node away keeps its failure transient,
     * so the step is tried again until the run's stall deadline; past it the run fails, undoing nothing, and says
     * that the VM runs at the target and which source copies are left to remove.
     */
    private StepOutcome<Void> removeSource(StepContext context) {
        StretchParams p = params(context);
        NodeApi source = nodes.nodeApi(p.sourceNodeId());
        try {
            p.sourceVmIds().forEach(vmId -> removeVm(source, vmId));
        } catch (RuntimeException e) {
            String copies = (p.vms().size() == 1 ? "VM " : "VMs ")
                    + p.vms().stream().map(vm -> vm.name() + " (" + vm.sourceVmId() + ")").collect(Collectors.joining(", "));
            throw new VccProblemException(e instanceof VccProblemException v ? v.type() : ProblemType.INTERNAL,
                    "The VM runs at the target with its IP and MAC; its powered-off copy at the source, " + copies
                            + " in source VDC " + p.sourceRemoteVdcId() + ", could not be removed and is to be removed there: "
                            + e.getMessage(), e);
        }
        return StepOutcome.done(null);
    }

    private StepOutcome<Boolean> retract(StepContext context) {
        boolean retracted = targetNetwork.retract(params(context), context.runId());
        context.output("retracted", retracted);
        return StepOutcome.done(retracted);
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    /** Gone already is fine: the step runs again after any interruption. */
    static void removeVm(NodeApi node, String vmId) {
        try {
            power(node, vmId, PowerState.POWERED_OFF);
            node.deleteVm(vmId);
        } catch (VccProblemException e) {
            if (e.type() != ProblemType.NOT_FOUND) {
                throw e;
            }
        }
    }

    static void power(NodeApi node, String vmId, PowerState state) {
        VmInfo vm = node.vm(vmId);
        if (vm.state() != state) {
            node.power(vmId, new PowerRequest(state));
        }
    }

    private SegmentNodeApi segments(UUID nodeId) {
        return nodes.client(nodeId, SegmentNodeApi.class);
    }

    private TransferNodeApi transfers(UUID nodeId) {
        return nodes.client(nodeId, TransferNodeApi.class);
    }

    private static String id(StepContext context) {
        return context.runId().toString();
    }

    static StretchParams params(StepContext context) {
        return context.params(StretchParams.class);
    }
}
