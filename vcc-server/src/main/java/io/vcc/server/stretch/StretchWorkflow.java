package io.vcc.server.stretch;

import io.vcc.api.problem.ProblemType;
import io.vcc.server.transfer.TransferSteps;
import io.vcc.server.workflow.Step;
import io.vcc.server.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * The stretch deploy workflow (see the package doc): its own steps around the transfer's export, transfer and
 * verify, which read the run's parameters as a transfer's. Any failure before the cut-over undoes what was done
 * (the target's copy, its network, the network's extension), so the VM keeps running at the source with its IP
 * and MAC; the cut-over is the point of no return, after which a failure leaves it running at the target and the
 * operation's {@code runningAt} output says where it runs.
 */
@Component
@EnableConfigurationProperties(StretchSettings.class)
class StretchWorkflow implements WorkflowDefinition {

    static final String TYPE = "stretch-deploy";

    private final StretchSteps steps;
    private final TransferSteps transfer;
    private final StretchSettings settings;

    StretchWorkflow(StretchSteps steps, TransferSteps transfer, StretchSettings settings) {
        this.steps = steps;
        this.transfer = transfer;
        this.settings = settings;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<Step<?>> steps() {
        return List.of(steps.validate(), steps.infrastructure(), transfer.export(), transfer.transfer(), transfer.verify(),
                steps.deploy(), steps.cutOver(), steps.removeSource(), transfer.cleanup(), steps.retract());
    }

    @Override
    public Duration stallDeadline() {
        return settings.nodeDeadline();
    }

    @Override
    public ProblemType stalledProblem() {
        return ProblemType.TRANSFER_FAILED;
    }
}
