package io.vcc.server.workflow;

import java.time.Duration;

/** What a step's execution came to: done (with a result kept for later steps), or not yet (ask again later). */
public sealed interface StepOutcome {

    static StepOutcome done(Object result) {
        return new Done(result);
    }

    static StepOutcome waitFor(Duration delay) {
        return new Wait(delay);
    }

    record Done(Object result) implements StepOutcome {
    }

    record Wait(Duration delay) implements StepOutcome {
    }
}
