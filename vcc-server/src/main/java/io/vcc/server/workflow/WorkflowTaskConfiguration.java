package io.vcc.server.workflow;

import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/** The one db-scheduler task every workflow step runs as; a dead execution (its server died) is revived and runs again. */
@Configuration(proxyBeanMethods = false)
class WorkflowTaskConfiguration {

    @Bean
    CustomTask<Void> workflowStepTask(@Lazy WorkflowEngine engine) {
        return Tasks.custom(WorkflowEngine.TASK, Void.class)
                .onDeadExecutionRevive()
                .onFailure(new FailureHandler.OnFailureRetryLater<>(Duration.ofSeconds(2)))
                .execute((instance, context) -> engine.execute(instance.getId()));
    }
}
