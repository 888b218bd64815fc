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
}
