package io.vcc.server.transfer;

import io.vcc.api.problem.ProblemType;
import io.vcc.server.workflow.Step;
import io.vcc.server.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * The transfer workflow: preflight, export (undone: the source's staging removed), transfer (undone: the
 * target's staging removed), verify, import (undone: what was imported removed), remove-source (MOVE only),
 * cleanup. The source (VM, vApp's VMs or template) is removed only after the target's copy exists, and once its
 * removal has begun nothing is undone (a point of no return): a cancel is refused, and a cleanup that fails ends
 * the operation FAILED with both the target's copy and the error kept, so one copy always survives.
 */
@Component
@EnableConfigurationProperties(TransferSettings.class)
class TransferWorkflow implements WorkflowDefinition {

    static final String TYPE = "transfer";

    private final TransferSteps steps;
    private final TransferSettings settings;

    TransferWorkflow(TransferSteps steps, TransferSettings settings) {
        this.steps = steps;
        this.settings = settings;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<Step<?>> steps() {
        return List.of(steps.preflight(), steps.export(), steps.transfer(), steps.verify(), steps.importPackage(),
                steps.removeSource(), steps.cleanup());
    }

    @Override
    public int limitPerResource() {
        return settings.maxPerNode();
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
