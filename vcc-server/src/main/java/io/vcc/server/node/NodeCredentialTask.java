package io.vcc.server.node;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Finishes secret handovers a node missed (it did not answer, or a server stopped midway), on one replica at a time. */
@Configuration(proxyBeanMethods = false)
class NodeCredentialTask {

    @Bean
    RecurringTask<Void> nodeSecretHandoverTask(NodeCallSettings settings, NodeCredentials credentials) {
        Duration interval = settings.statusInterval();
        return Tasks.recurring("node-secret-handover", FixedDelay.of(interval)).execute((instance, context) -> credentials.finishHandovers());
    }
}
