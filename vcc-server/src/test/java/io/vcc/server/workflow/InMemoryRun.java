package io.vcc.server.workflow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a workflow definition's steps in memory, the way {@code WorkflowEngine} does, for unit tests of a
 * workflow with its node calls stubbed: steps in order, each polled until done (a step that does not apply is
 * skipped), results passed on as JSON as the store keeps them; a transient failure ({@link StepFailure}) is tried
 * again, up to the polls a step gets (which stand for its stall deadline); a step that throws otherwise, or past
 * them, compensates every step that began, in reverse order (a compensation that throws is kept as suppressed by the failure, and the ones before
 * it still run), unless a point of no return had begun. No database, no scheduler, no waiting.
 */
public final class InMemoryRun {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final int MAX_POLLS = 100;

    /** How a run ended: its state, the failure (if any), and whether its steps were compensated. */
    public record Outcome(RunState state, RuntimeException failure, boolean compensated, Map<String, Object> outputs) {
    }

    private InMemoryRun() {
    }

    public static Outcome run(WorkflowDefinition definition, Object params) {
        UUID runId = UUID.randomUUID();
        String paramsJson = JSON.writeValueAsString(params);
        Map<String, String> results = new LinkedHashMap<>();
        Map<String, Object> outputs = new LinkedHashMap<>();
        List<Step<?>> begun = new ArrayList<>();
        for (Step<?> step : definition.steps()) {
            if (!step.applies(new StepContext(runId, paramsJson, results, 0, false, outputs))) {
                continue;
            }
            begun.add(step);
            try {
                results.put(step.name(), JSON.writeValueAsString(poll(step, runId, paramsJson, results, outputs)));
            } catch (RuntimeException e) {
                if (begun.stream().anyMatch(Step::pointOfNoReturn)) {
                    return new Outcome(RunState.FAILED, e, false, outputs);
                }
                for (int i = begun.size() - 1; i >= 0; i--) {
                    try {
                        begun.get(i).compensate(new StepContext(runId, paramsJson, results, 0, false, outputs));
                    } catch (RuntimeException undoFailed) {
                        // The engine records UNDO_FAILED and goes on with the steps before.
                        if (undoFailed != e) {
                            e.addSuppressed(undoFailed);
                        }
                    }
                }
                return new Outcome(RunState.FAILED, e, true, outputs);
            }
        }
        return new Outcome(RunState.SUCCEEDED, null, false, outputs);
    }

    private static Object poll(Step<?> step, UUID runId, String params, Map<String, String> results, Map<String, Object> outputs) {
        for (int polls = 0; polls < MAX_POLLS; polls++) {
            StepContext context = new StepContext(runId, params, results, polls, false, outputs);
            StepOutcome<?> outcome;
            try {
                outcome = step.execute(context);
            } catch (RuntimeException e) {
                if (StepFailure.transient_(e) && polls + 1 < MAX_POLLS) {
                    continue;
                }
                throw e;
            }
            outputs.putAll(context.outputs);
            if (outcome instanceof StepOutcome.Done<?> done) {
                return done.result();
            }
        }
        throw new IllegalStateException(step.name() + " was not done after " + MAX_POLLS + " polls");
    }
}
