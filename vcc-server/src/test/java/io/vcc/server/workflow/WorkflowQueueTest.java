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
 * Runs that share a resource beyond its limit queue, and leave the queue fairly: one tenant's runs in the
 * order they came (one queued later never overtakes an earlier one), and another tenant's run before the
 * later runs of a tenant that already had its turn.
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

    @Test
    void aTenantWithManyQueuedRunsDoesNotKeepAnotherTenantsRunWaiting() {
        List<String> node = List.of("node:" + UUID.randomUUID());
        UUID acme = UUID.randomUUID();
        UUID globex = UUID.randomUUID();
        UUID acmeFirst = workflows.start("one-at-a-time", acme, Map.of(), node).id();
        await().atMost(Duration.ofSeconds(20)).until(() -> state(acmeFirst) == RunState.RUNNING);
        UUID acmeSecond = workflows.start("one-at-a-time", acme, Map.of(), node).id();
        UUID acmeThird = workflows.start("one-at-a-time", acme, Map.of(), node).id();
        UUID globexOnly = workflows.start("one-at-a-time", globex, Map.of(), node).id();

        TestWorkflows.released.add(acmeFirst);
        await().atMost(Duration.ofSeconds(20)).until(() -> state(globexOnly) == RunState.RUNNING);
        assertThat(List.of(acmeSecond, acmeThird)).as("acme's later runs wait for globex's").allSatisfy(id -> assertThat(state(id)).isEqualTo(RunState.QUEUED));

        TestWorkflows.released.add(globexOnly);
        await().atMost(Duration.ofSeconds(20)).until(() -> state(acmeSecond) == RunState.RUNNING);
        assertThat(state(acmeThird)).as("within a tenant, first come first served").isEqualTo(RunState.QUEUED);
        TestWorkflows.released.add(acmeSecond);
        await().atMost(Duration.ofSeconds(20)).until(() -> state(acmeThird) == RunState.RUNNING);
        TestWorkflows.released.add(acmeThird);
        await().atMost(Duration.ofSeconds(20)).until(() -> state(acmeThird) == RunState.SUCCEEDED);
    }

    private RunState state(UUID run) {
        return workflows.view(run, null).orElseThrow().state();
    }
}
