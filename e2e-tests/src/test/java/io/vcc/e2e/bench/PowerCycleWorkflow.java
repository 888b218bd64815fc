package io.vcc.e2e.bench;

import io.vcc.api.node.PowerRequest;
import io.vcc.api.node.PowerState;
import io.vcc.server.node.NodeGateway;
import io.vcc.server.workflow.Step;
import io.vcc.server.workflow.StepOutcome;
import io.vcc.server.workflow.WorkflowDefinition;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The light workflow the cluster benchmark runs through the server's workflow engine: power a VM off, then on, each
 * a real call to a node whose simulated cloud answers at once. Added to the benchmark's server replicas only.
 */
@Configuration(proxyBeanMethods = false)
public class PowerCycleWorkflow {

    static final String TYPE = "bench-power-cycle";

    public record Params(UUID nodeId, String vmId, String batch) {
    }

    @Bean
    WorkflowDefinition powerCycle(NodeGateway nodes) {
        List<Step<?>> steps = List.of(power(nodes, "power-off", PowerState.POWERED_OFF), power(nodes, "power-on", PowerState.POWERED_ON));
        return new WorkflowDefinition() {
            @Override
            public String type() {
                return TYPE;
            }

            @Override
            public List<Step<?>> steps() {
                return steps;
            }

            @Override
            public Duration stallDeadline() {
                return Duration.ofMinutes(5);
            }
        };
    }

    private static Step<Void> power(NodeGateway nodes, String name, PowerState state) {
        return Step.of(name, Void.class, context -> {
            Params params = context.params(Params.class);
            nodes.nodeApi(params.nodeId()).power(params.vmId(), new PowerRequest(state));
            return StepOutcome.done(null);
        });
    }
}
