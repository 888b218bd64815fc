package io.vcc.server.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vcc.server.workflow.Step;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** The transfer's steps in order; removing a MOVE's source is the one step after which nothing is undone. */
class TransferWorkflowStepsTest {

    private final TransferWorkflow workflow = new TransferWorkflow(null, null, new TransferSettings(new MockEnvironment()));

    @Test
    void removingTheSourceIsThePointOfNoReturn() {
        assertThat(workflow.steps()).extracting(Step::name)
                .containsExactly("preflight", "export", "transfer", "verify", "import", "remove-source", "cleanup");
        assertThat(workflow.steps()).filteredOn(Step::pointOfNoReturn).extracting(Step::name).containsExactly("remove-source");
    }
}
