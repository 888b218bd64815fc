package io.vcc.server.ha;

import io.vcc.server.workflow.Step;
import io.vcc.server.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.List;
import org.springframework.stereotype.Component;

/** Fence (failure only) → activate a VH → migrate the VMs onto it → evacuate the other VHs → hold. */
@Component
class FailoverWorkflow implements WorkflowDefinition {

    static final String TYPE = "ha-failover";

    private final FailoverSteps steps;
    private final HaSettings settings;

    FailoverWorkflow(FailoverSteps steps, HaSettings settings) {
        this.steps = steps;
        this.settings = settings;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<Step<?>> steps() {
        return steps.failover();
    }

    @Override
    public Duration stallDeadline() {
        return settings.stallDeadline();
    }
}
