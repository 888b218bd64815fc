package io.vcc.server.workflow;

import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerCustomizer;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.time.Duration;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * The one db-scheduler task every workflow step runs as; a dead execution (its server died) is revived and runs again,
 * on whichever replica picks it next.
 */
@Configuration(proxyBeanMethods = false)
class WorkflowTaskConfiguration {

    @Bean
    CustomTask<Void> workflowStepTask(@Lazy WorkflowEngine engine) {
        return Tasks.custom(WorkflowEngine.TASK, Void.class)
                .onDeadExecutionRevive()
                .onFailure(new FailureHandler.OnFailureRetryLater<>(Duration.ofSeconds(2)))
                .execute((instance, context) -> engine.execute(instance.getId()));
    }

    /** db-scheduler names a scheduler after its host by default; two replicas on one host must differ. */
    @Bean
    DbSchedulerCustomizer replicaSchedulerName(Replica replica) {
        return new DbSchedulerCustomizer() {
            @Override
            public Optional<SchedulerName> schedulerName() {
                return Optional.of(new SchedulerName.Fixed(replica.name()));
            }
        };
    }
}
