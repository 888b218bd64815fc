package io.vcc.server.workflow;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Workflows the engine's tests run, in one configuration so that their test classes share one context (one
 * embedded PostgreSQL). A step named in the run's {@code hold} parameter waits until its run is released.
 */
@TestConfiguration
class TestWorkflows {

    /** Runs whose held step may finish. */
    static final Set<UUID> released = ConcurrentHashMap.newKeySet();
    /** What the steps did and undid, as "make <run>", "undo make <run>", "destroy <run>". */
    static final List<String> journal = new CopyOnWriteArrayList<>();

    @Bean
    WorkflowDefinition oneAtATime() {
        return definition("one-at-a-time", 1, Duration.ofMinutes(5), List.of(step("hold", false, true)));
    }

    /** Makes something, destroys its original (a point of no return), then cleans up. */
    @Bean
    WorkflowDefinition noReturn() {
        return definition("no-return", Integer.MAX_VALUE, Duration.ofMinutes(5), noReturnSteps());
    }

    /** The same, where a step that makes no progress for a second has stalled. */
    @Bean
    WorkflowDefinition noReturnStalling() {
        return definition("no-return-stalling", Integer.MAX_VALUE, Duration.ofSeconds(1), noReturnSteps());
    }

    private static List<Step<?>> noReturnSteps() {
        return List.of(step("make", false, false), step("destroy", true, false), step("cleanup", false, false));
    }

    private static Step<?> step(String name, boolean pointOfNoReturn, boolean alwaysHold) {
        Step.Defined<Map> step = Step.of(name, Map.class, context -> {
            boolean held = alwaysHold || name.equals(context.params(Map.class).get("hold"));
            if (held && !released.contains(context.runId())) {
                return StepOutcome.waitFor(Duration.ofMillis(100));
            }
            journal.add(name + " " + context.runId());
            return StepOutcome.done(Map.of());
        }).compensatedBy(context -> journal.add("undo " + name + " " + context.runId()));
        return pointOfNoReturn ? step.asPointOfNoReturn() : step;
    }

    private static WorkflowDefinition definition(String type, int limit, Duration stallDeadline, List<Step<?>> steps) {
        return new WorkflowDefinition() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public List<Step<?>> steps() {
                return steps;
            }

            @Override
            public int limitPerResource() {
                return limit;
            }

            @Override
            public Duration stallDeadline() {
                return stallDeadline;
            }
        };
    }
}
