package io.vcc.server.stretch;

import static io.vcc.server.stretch.StretchSteps.params;
import static io.vcc.server.stretch.StretchSteps.power;
import static io.vcc.server.stretch.StretchSteps.removeVm;

import io.vcc.api.node.NicAnswer;
import io.vcc.api.node.NodeApi;
import io.vcc.api.node.PowerState;
import io.vcc.api.node.SegmentNodeApi;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.server.node.NodeGateway;
import io.vcc.server.stretch.StretchSteps.CutOver;
import io.vcc.server.stretch.StretchSteps.Deployed;
import io.vcc.server.stretch.StretchSteps.Pair;
import io.vcc.server.workflow.StepContext;
import io.vcc.server.workflow.StepFailure;
import io.vcc.server.workflow.StepOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The stretch deploy's cut-over step: the source VMs off, their copies at the target on, until every copy answers
 * on its IP. A node away mid-way is waited for; any other failure puts the source back, so the VM runs where it ran.
 */
@Component
class StretchCutOver {

    private static final Logger log = LoggerFactory.getLogger(StretchCutOver.class);
    /** When the cut-over first found a node not answering (an output, so that it survives a restart of the server). */
    private static final String INTERRUPTED_SINCE = "cutOverInterruptedSince";

    private final NodeGateway nodes;
    private final StretchSettings settings;
    private final StretchTargetNetwork targetNetwork;

    StretchCutOver(NodeGateway nodes, StretchSettings settings, StretchTargetNetwork targetNetwork) {
        this.nodes = nodes;
        this.settings = settings;
        this.targetNetwork = targetNetwork;
    }

    StepOutcome<CutOver> run(StepContext context, Deployed deployed) {
        StretchParams p = params(context);
        NodeApi source = nodes.nodeApi(p.sourceNodeId());
        NodeApi target = nodes.nodeApi(p.targetNodeId());
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
            targetNetwork.dismantle(p, context.runId());
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
        SegmentNodeApi target = nodes.client(p.targetNodeId(), SegmentNodeApi.class);
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
}
