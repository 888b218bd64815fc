package io.vcc.server.workflow;

import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One step of a workflow, with its result type and its compensation beside it. {@link #execute} is called again
 * after any interruption (a restart of the server, a poll) and must be idempotent; it answers done (with its
 * result, which later steps read through {@link StepContext#result(Step)}), or "wait and ask me again".
 * {@link #compensate} undoes what the step may have done, also when it failed halfway, and must tolerate
 * nothing to undo. Build one with {@link #of} and the {@code compensatedBy}, {@code onlyIf} and
 * {@code pointOfNoReturn} of what it returns.
 */
public interface Step<R> {

    String name();

    /** The type of the result {@link StepOutcome#done} carries ({@link Void} for none). */
    Class<R> resultType();

    StepOutcome<R> execute(StepContext context);

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

    static <R> Defined<R> of(String name, Class<R> resultType, Function<StepContext, StepOutcome<R>> execute) {
        return new Defined<>(name, resultType, execute, context -> { }, context -> true, false);
    }

    /** A step made of functions, as a saga reads: the call and, beside it, what undoes it. */
    record Defined<R>(String name, Class<R> resultType, Function<StepContext, StepOutcome<R>> action,
                      Consumer<StepContext> compensation, Predicate<StepContext> condition, boolean pointOfNoReturn)
            implements Step<R> {

        public Defined<R> compensatedBy(Consumer<StepContext> compensation) {
            return new Defined<>(name, resultType, action, compensation, condition, pointOfNoReturn);
        }

        public Defined<R> onlyIf(Predicate<StepContext> condition) {
            return new Defined<>(name, resultType, action, compensation, condition, pointOfNoReturn);
        }

        /** See {@link Step#pointOfNoReturn()}. */
        public Defined<R> asPointOfNoReturn() {
            return new Defined<>(name, resultType, action, compensation, condition, true);
        }

        @Override
        public StepOutcome<R> execute(StepContext context) {
            return action.apply(context);
        }

        @Override
        public void compensate(StepContext context) {
            compensation.accept(context);
        }

        @Override
        public boolean applies(StepContext context) {
            return condition.test(context);
        }
    }
}
