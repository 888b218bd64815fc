package io.vcc.server.workflow;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;

/**
 * Which failures of a step are worth another try: a node that does not answer, or answers that it is
 * unavailable. Everything else fails the step at once.
 */
public final class StepFailure {

    private StepFailure() {
    }

    public static boolean transient_(Throwable e) {
        if (e instanceof VccProblemException problem) {
            return problem.type() == ProblemType.NODE_UNAVAILABLE || problem.type() == ProblemType.INTERNAL
                    || problem.type() == ProblemType.NODE_ERROR;
        }
        return e instanceof java.io.UncheckedIOException || e instanceof org.springframework.web.client.ResourceAccessException;
    }
}
