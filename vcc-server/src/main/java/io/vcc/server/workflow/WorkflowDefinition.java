package io.vcc.server.workflow;

import io.vcc.api.problem.ProblemType;
import java.time.Duration;
import java.util.List;

/**
 * A kind of workflow: its steps in order (each with its compensation), how many runs may hold one resource
 * (e.g. a node) at a time, how long a step may go without progress (failing calls included) before the run
 * fails and is compensated, and the problem type a run that stalled ends with.
 */
public interface WorkflowDefinition {

    String type();

    List<Step<?>> steps();

    default int limitPerResource() {
        return Integer.MAX_VALUE;
    }

    Duration stallDeadline();

    default ProblemType stalledProblem() {
        return ProblemType.INTERNAL;
    }
}
