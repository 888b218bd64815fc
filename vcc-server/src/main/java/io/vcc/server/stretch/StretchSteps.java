package io.vcc.server.stretch;

import io.vcc.api.node.NicAnswer;
import io.vcc.api.node.NicPlacement;
import io.vcc.api.node.NodeApi;
import io.vcc.api.node.PowerRequest;
import io.vcc.api.node.PowerState;
import io.vcc.api.node.SegmentNetworkInfo;
import io.vcc.api.node.SegmentNetworkSpec;
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
import io.vcc.server.network.NetworkService;
import io.vcc.server.network.NetworkView;
import io.vcc.server.node.NodeGateway;
import io.vcc.server.workflow.Step;
import io.vcc.server.workflow.StepContext;
import io.vcc.server.workflow.StepFailure;
import io.vcc.server.workflow.StepOutcome;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The stretch deploy's own steps, each with its compensation beside it (the copy is the transfer's steps, see
 * {@link StretchWorkflow}). Every step is idempotent: it runs again after a restart of the server.
 */
@Component
class StretchSteps {

    private static final Logger log = LoggerFactory.getLogger(StretchSteps.class);
    /** When the cut-over first found a node not answering (an output, so that it survives a restart of the server). */
    private static final String INTERRUPTED_SINCE = "cutOverInterruptedSince";

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
    private final NetworkService networks;
    private final StretchValidation validation;
    private final StretchSettings settings;
    private final StretchDeploys deploys;

    private final Step<Void> validateStep;
    private final Step<Integer> infrastructureStep;
    private final Step<Deployed> deployStep;
    private final Step<CutOver> cutOverStep;
    private final Step<Void> removeSourceStep;
    private final Step<Boolean> retractStep;

    StretchSteps(NodeGateway nodes, NetworkService networks, StretchValidation validation, StretchSettings settings,
                 StretchDeploys deploys) {
        this.nodes = nodes;
        this.networks = networks;
        this.validation = validation;
        this.settings = settings;
        this.deploys = deploys;
        this.validateStep = Step.of("validate", Void.class, this::validate);
        this.infrastructureStep = Step.of("infrastructure", Integer.class, this::infrastructure).compensatedBy(this::dismantle);
        this.deployStep = Step.of("deploy", Deployed.class, this::deploy).compensatedBy(this::undeploy);
        // Past this point the VM runs at the target (or the step put it back at the source itself): never undone.
        this.cutOverStep = Step.of("cut-over", CutOver.class, this::cutOver).asPointOfNoReturn();
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
        StretchParams p = params(context);
        networks.extendInto(p.networkId(), p.targetCloudId());
        NetworkView network = networks.network(p.networkId());
        int vni = network.clouds().stream().filter(span -> span.cloudId().equals(p.targetCloudId())).findFirst().orElseThrow().vni();
        SegmentNetworkInfo source = segments(p.sourceNodeId()).segmentNetworks(p.sourceRemoteVdcId()).stream()
                .filter(n -> n.name().equals(p.networkName())).findFirst()
                .orElseThrow(() -> new VccProblemException(ProblemType.STRETCH_REFUSED, "The source VDC's network " + p.networkName() + " is gone"));
        segments(p.targetNodeId()).putSegmentNetwork(p.targetRemoteVdcId(), p.networkName(),
                new SegmentNetworkSpec(source.cidr(), source.gateway(), vni, source.rules(), network.mtu()));
        context.output("network", network.name());
        context.output("targetVni", vni);
        return StepOutcome.done(vni);
    }

    /**
     * Takes out what this run brought into the target cloud, unless something else relies on it by now: another
     * stretch of the network into that cloud still under way (it found the network there, made by this run,
     * and counts on it), or a VM on the segment there. Leaving an unused span is the lesser harm; taking a used
     * one away would cut a running VM off its network.
     */
    private void dismantle(StepContext context) {
        StretchParams p = params(context);
        if (p.targetNetworkExisted() && p.networkSpannedTarget()) {
            return;
        }
        if (neededByOthers(p, context.runId())) {
            log.info("Stretch {}: network {} stays in the target cloud, another stretch or VM there uses it", id(context), p.networkName());
            return;
        }
        if (!p.targetNetworkExisted()) {
            segments(p.targetNodeId()).removeSegmentNetwork(p.targetRemoteVdcId(), p.networkName());
        }
        if (!p.networkSpannedTarget()) {
            networks.retractFrom(p.networkId(), p.targetCloudId());
        }
    }

    private boolean neededByOthers(StretchParams p, UUID runId) {
        if (deploys.othersUnderway(p.networkId(), p.targetCloudId(), runId)) {
            return true;
        }
        return networks.network(p.networkId()).clouds().stream().filter(span -> span.cloudId().equals(p.targetCloudId()))
                .anyMatch(span -> !segments(p.targetNodeId()).segments().on(span.vni()).isEmpty());
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

    // ---- cut-over: source off, target on; a failure puts the source back ---------------------------------

    private StepOutcome<CutOver> cutOver(StepContext context) {
        StretchParams p = params(context);
        NodeApi source = nodes.nodeApi(p.sourceNodeId());
        NodeApi target = nodes.nodeApi(p.targetNodeId());
        Deployed deployed = context.result(deployStep).orElseThrow();
        List<Pair> pairs = deployed.vms();
        List<String> on = deployed.poweredOnSourceVmIds();
        try {
            for (Pair pair : pairs) {
                power(source, pair.sourceVmId(), PowerState.POWERED_OFF);
                if (on.contains(pair.sourceVmId())) {
                    power(target, pair.targetVmId(), PowerState.POWERED_ON);
                }
            }
            for (Pair pair : pairs) {
                if (on.contains(pair.sourceVmId())) {
                    awaitAnswer(p, pair);
                }
            }
        } catch (RuntimeException e) {
            Optional<StepOutcome<CutOver>> again = tryAgainLater(context, e);
            if (again.isPresent()) {
                return again.get();
            }
            putBack(context, p, pairs, on, e);
            context.output("runningAt", "source");
            // Not a failure to try again: the target's copies are gone and the source runs again.
            VccProblemException failed = new VccProblemException(ProblemType.TRANSFER_FAILED,
                    "The cut-over failed and was undone; the VM runs at the source with its IP and MAC: " + e.getMessage(), e);
            throw failed;
        }
        context.output("runningAt", "target");
        return StepOutcome.done(new CutOver(on));
    }

    /**
     * A node that does not answer mid-way (killed, restarting) is waited for, up to {@code cutOverWait} from the first
     * such failure: the VM may already run at the target, and putting it back needs that node too. Powering and
     * probing are idempotent, so the step simply runs again. Past the bound, or on any other failure, it is put back.
     */
    private Optional<StepOutcome<CutOver>> tryAgainLater(StepContext context, RuntimeException failure) {
        if (!StepFailure.transient_(failure)) {
            return Optional.empty();
        }
        Instant since = context.recorded(INTERRUPTED_SINCE).map(value -> Instant.parse(value.toString())).orElseGet(Instant::now);
        if (Duration.between(since, Instant.now()).compareTo(settings.cutOverWait()) > 0) {
            return Optional.empty();
        }
        log.info("Stretch deploy {}: the cut-over waits for a node: {}", context.runId(), failure.getMessage());
        context.output(INTERRUPTED_SINCE, since.toString());
        return Optional.of(StepOutcome.waitFor(Duration.ofSeconds(1)));
    }

    /** The cut-over failed: target copies off and gone, the source as it was, so the VM runs where it ran. */
    private void putBack(StepContext context, StretchParams p, List<Pair> pairs, List<String> on, RuntimeException failure) {
        NodeApi source = nodes.nodeApi(p.sourceNodeId());
        NodeApi target = nodes.nodeApi(p.targetNodeId());
        for (Pair pair : pairs) {
            try {
                removeVm(target, pair.targetVmId());
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
        for (Pair pair : pairs) {
            if (on.contains(pair.sourceVmId())) {
                try {
                    power(source, pair.sourceVmId(), PowerState.POWERED_ON);
                } catch (RuntimeException e) {
                    failure.addSuppressed(e);
                    log.error("Stretch deploy {}: VM {} could not be powered on again at the source: {}", context.runId(), pair.name(),
                            e.getMessage());
                }
            }
        }
        try {
            dismantle(context);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Waits until every NIC of the target's copy answers on its IP, as the target node probes it from inside the
     * segment: a VM that is merely powered on may not be up. One that does not answer within {@code answerWait} fails
     * the cut-over, which puts the source back.
     */
    private void awaitAnswer(StretchParams p, Pair pair) {
        SegmentNodeApi target = segments(p.targetNodeId());
        List<StretchParams.Nic> nics = p.vms().stream().filter(vm -> vm.sourceVmId().equals(pair.sourceVmId())).findFirst()
                .map(StretchParams.Vm::nics).orElse(List.of());
        long deadline = System.nanoTime() + settings.answerWait().toNanos();
        for (StretchParams.Nic nic : nics) {
            NicAnswer answer;
            while (!(answer = target.nicAnswer(pair.targetVmId(), nic.index())).answers()) {
                if (System.nanoTime() > deadline) {
                    throw new VccProblemException(ProblemType.TRANSFER_FAILED, "VM " + pair.name() + " does not answer at the target on "
                            + nic.ip() + " within " + settings.answerWait() + " (probed by " + answer.probe() + ")");
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new VccProblemException(ProblemType.INTERNAL, "Interrupted while waiting for VM " + pair.name());
                }
            }
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

    /**
     * A reverse: the network leaves the cloud the VM came back from, unless a VM of the tenant is still on it there
     * or another stretch into that cloud is under way.
     */
    private StepOutcome<Boolean> retract(StepContext context) {
        StretchParams p = params(context);
        NetworkView network = networks.network(p.networkId());
        var span = network.clouds().stream().filter(s -> s.cloudId().equals(p.retractFromCloud())).findFirst();
        if (span.isEmpty()) {
            return StepOutcome.done(false);
        }
        boolean used = !segments(p.retractFromNodeId()).segments().on(span.get().vni()).isEmpty()
                || deploys.othersUnderway(p.networkId(), p.retractFromCloud(), context.runId());
        if (used) {
            context.output("retracted", false);
            return StepOutcome.done(false);
        }
        segments(p.retractFromNodeId()).removeSegmentNetwork(p.retractFromVdcRemoteId(), p.networkName());
        networks.retractFrom(p.networkId(), p.retractFromCloud());
        context.output("retracted", true);
        return StepOutcome.done(true);
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

    private static void power(NodeApi node, String vmId, PowerState state) {
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
