package io.vcc.server.ha;

import io.vcc.server.workflow.Step;
import io.vcc.server.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.List;
import org.springframework.stereotype.Component;

/** The VMs move back live to their home hypervisor → the VH becomes inactive → the failover is over. */
@Component
class FailbackWorkflow implements WorkflowDefinition {

    static final String TYPE = "ha-failback";

    private final FailoverSteps steps;
    private final HaSettings settings;

    FailbackWorkflow(FailoverSteps steps, HaSettings settings) {
        this.steps = steps;
        this.settings = settings;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<Step<?>> steps() {
        return steps.failback();
    }

    @Override
    public Duration stallDeadline() {
        return settings.stallDeadline();
    }
}
