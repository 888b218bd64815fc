package io.vcc.server.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

/**
 * Once a step that is a point of no return has begun (a MOVE's remove-source), nothing before it is undone:
 * neither a cancel nor a later step that stalls makes the run compensate (which for a MOVE would remove the
 * only copy left). Before that step, a cancel still compensates.
 */
@SpringBootTest(properties = {"spring.config.name=vcc-server", "vcc.service-name=vcc-server-queue-test",
        "db-scheduler.polling-interval=100ms"})
@ActiveProfiles("test")
@Import(TestWorkflows.class)
class WorkflowPointOfNoReturnTest {

    @Autowired
    Workflows workflows;

    @Test
    void aCancelBeforeThePointOfNoReturnUndoesWhatWasMade() {
        UUID run = start("no-return", "make");
        awaitStep(run, "make", StepState.RUNNING);

        OperationView cancelled = workflows.cancel(run, null);

        assertThat(cancelled.cancelRequested()).isTrue();
        OperationView ended = awaitEnd(run);
        assertThat(ended.state()).isEqualTo(RunState.CANCELLED);
        assertThat(journalOf(run)).containsExactly("undo make " + run);
    }

    @Test
    void aCancelDuringCleanupAfterThePointOfNoReturnIsRefusedAndTheRunFinishes() {
        UUID run = start("no-return", "cleanup");
        awaitStep(run, "cleanup", StepState.RUNNING);

        assertThatThrownBy(() -> workflows.cancel(run, null))
                .isInstanceOfSatisfying(VccProblemException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.INVALID_STATE);
                    assertThat(e.getMessage()).contains("can no longer be cancelled", "destroy");
                });
        assertThat(workflows.view(run, null).orElseThrow().cancelRequested()).as("the refused cancel changed nothing").isFalse();

        TestWorkflows.released.add(run);
        OperationView ended = awaitEnd(run);
        assertThat(ended.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(journalOf(run)).containsExactly("make " + run, "destroy " + run, "cleanup " + run);
    }

    @Test
    void aCleanupStalledAfterThePointOfNoReturnFailsTheRunWithoutUndoingAnything() {
        UUID run = start("no-return-stalling", "cleanup");

        OperationView ended = awaitEnd(run);

        assertThat(ended.state()).isEqualTo(RunState.FAILED);
        assertThat(journalOf(run)).as("nothing undone").containsExactly("make " + run, "destroy " + run);
        assertThat(ended.compensating()).isFalse();
        assertThat(ended.error()).contains("cleanup made no progress", "Nothing was undone", "destroy");
        assertThat(ended.steps()).extracting(OperationView.StepView::name, OperationView.StepView::state)
                .containsExactly(tuple("make", StepState.DONE), tuple("destroy", StepState.DONE),
                        tuple("cleanup", StepState.FAILED));
    }

    private UUID start(String type, String hold) {
        return workflows.start(type, null, Map.of("hold", hold), List.of("thing:" + UUID.randomUUID())).id();
    }

    private void awaitStep(UUID run, String step, StepState state) {
        await().atMost(Duration.ofSeconds(30)).until(() -> workflows.view(run, null).orElseThrow().steps().stream()
                .anyMatch(s -> s.name().equals(step) && s.state() == state));
    }

    private OperationView awaitEnd(UUID run) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> workflows.view(run, null).orElseThrow(), view -> view.state().terminal());
    }

    private static List<String> journalOf(UUID run) {
        return TestWorkflows.journal.stream().filter(entry -> entry.endsWith(" " + run)).toList();
    }
}
