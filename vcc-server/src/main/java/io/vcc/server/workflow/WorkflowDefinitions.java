package io.vcc.server.workflow;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** The workflow definitions the application declares, by type. */
@Component
class WorkflowDefinitions {

    private final Map<String, WorkflowDefinition> byType;

    WorkflowDefinitions(List<WorkflowDefinition> definitions) {
        this.byType = definitions.stream().collect(Collectors.toMap(WorkflowDefinition::type, Function.identity()));
    }

    WorkflowDefinition get(String type) {
        WorkflowDefinition definition = byType.get(type);
        if (definition == null) {
            throw new IllegalStateException("No workflow definition of type " + type);
        }
        return definition;
    }
}
