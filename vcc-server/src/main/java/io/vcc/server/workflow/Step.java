package io.vcc.server.workflow;

/**
 * One step of a workflow. {@link #execute} is called again after any interruption (a restart of the
 * server, a poll) and must be idempotent; it answers done, or "wait and ask me again". {@link #compensate}
 * undoes what the step may have done, also when it failed halfway, and must tolerate nothing to undo.
 */
public interface Step {

    String name();

    StepOutcome execute(StepContext context);

    default void compensate(StepContext context) {
    }

    /** A step that does not apply to this run is skipped (e.g. removing the source of a copy). */
    default boolean applies(StepContext context) {
        return true;
    }

    /**
     * Whether the run only goes forward once this step has begun: a step that destroys the other copy of what
     * an earlier step made (a MOVE's remove-source) must never be followed by compensating that earlier step,
     * or both copies are gone. From then on a cancel is refused, and a later failure or stall ends the run
     * without undoing anything; leftovers (e.g. staging on the nodes) are left to their janitors.
     */
    default boolean pointOfNoReturn() {
        return false;
    }
}
