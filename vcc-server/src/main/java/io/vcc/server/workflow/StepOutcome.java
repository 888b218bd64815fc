package io.vcc.server.workflow;

import java.time.Duration;

/** What a step's execution came to: done with its typed result (kept for later steps), or not yet (ask again later). */
public sealed interface StepOutcome<R> {

    static <R> StepOutcome<R> done(R result) {
        return new Done<>(result);
    }

    static <R> StepOutcome<R> waitFor(Duration delay) {
        return new Wait<>(delay);
    }

    record Done<R>(R result) implements StepOutcome<R> {
    }

    record Wait<R>(Duration delay) implements StepOutcome<R> {
    }
}
