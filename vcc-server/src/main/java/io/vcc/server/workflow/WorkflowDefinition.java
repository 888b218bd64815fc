package io.vcc.server.workflow;

import java.time.Duration;
import java.util.List;

/**
 * A kind of workflow: its steps in order, how many runs may hold one resource (e.g. a node) at a time,
 * and how long a step may go without progress (failing calls included) before the run fails and is
 * compensated.
 */
public interface WorkflowDefinition {

    String type();

    List<Step> steps();

    default int limitPerResource() {
        return Integer.MAX_VALUE;
    }

    Duration stallDeadline();
}
