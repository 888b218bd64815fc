package io.vcc.server.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
 * Runs that share a resource beyond its limit queue, and leave the queue in the order they came: one that
 * was queued later never overtakes an earlier one.
 */
@SpringBootTest(properties = {"spring.config.name=vcc-server", "vcc.service-name=vcc-server-queue-test",
        "db-scheduler.polling-interval=100ms"})
@ActiveProfiles("test")
@Import(TestWorkflows.class)
class WorkflowQueueTest {

    @Autowired
    Workflows workflows;

    @Test
    void queuedRunsStartInTheOrderTheyCame() {
        List<String> resource = List.of("node:" + UUID.randomUUID());
        UUID first = workflows.start("one-at-a-time", null, Map.of(), resource).id();
        await().atMost(Duration.ofSeconds(20)).until(() -> state(first) == RunState.RUNNING);
        List<UUID> queued = List.of(workflows.start("one-at-a-time", null, Map.of(), resource).id(),
                workflows.start("one-at-a-time", null, Map.of(), resource).id(),
                workflows.start("one-at-a-time", null, Map.of(), resource).id());
        UUID elsewhere = workflows.start("one-at-a-time", null, Map.of(), List.of("node:" + UUID.randomUUID())).id();
        await().atMost(Duration.ofSeconds(20)).until(() -> state(elsewhere) == RunState.RUNNING);
        assertThat(queued).allSatisfy(id -> assertThat(state(id)).isEqualTo(RunState.QUEUED));

        UUID holder = first;
        for (int next = 0; next < queued.size(); next++) {
            TestWorkflows.released.add(holder);
            UUID expected = queued.get(next);
            await().atMost(Duration.ofSeconds(20)).until(() -> state(expected) == RunState.RUNNING);
            assertThat(state(holder)).isEqualTo(RunState.SUCCEEDED);
            assertThat(queued.subList(next + 1, queued.size())).as("the runs queued after it still wait")
                    .allSatisfy(id -> assertThat(state(id)).isEqualTo(RunState.QUEUED));
            holder = expected;
        }
        UUID last = holder;
        TestWorkflows.released.add(last);
        TestWorkflows.released.add(elsewhere);
        await().atMost(Duration.ofSeconds(20)).until(() -> state(last) == RunState.SUCCEEDED);
    }

    private RunState state(UUID run) {
        return workflows.view(run, null).orElseThrow().state();
    }
}
