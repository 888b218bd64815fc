package io.vcc.server.workflow;

/** Where a step of a run is. Stored by name in {@code workflow_step.state} and shown as such by the API. */
public enum StepState {
    PENDING, SKIPPED, RUNNING, DONE, FAILED, COMPENSATING, COMPENSATED, UNDO_FAILED;

    /** The step may have done something (also when it failed halfway), so a compensation has to look at it. */
    public boolean toUndo() {
        return this == RUNNING || this == DONE || this == FAILED || this == COMPENSATING;
    }

    /** The step has been started at least once (or its undo has). */
    public boolean begun() {
        return this != PENDING && this != SKIPPED;
    }
}
