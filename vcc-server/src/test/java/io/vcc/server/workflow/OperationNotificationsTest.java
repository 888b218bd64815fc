package io.vcc.server.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What other replicas learn of this one's operations: every change it publishes goes out on the notification
 * channel under its name, with the operation as the API shows it; a change another replica notified is published
 * here but not sent on again (no echo between replicas).
 */
@SpringBootTest(properties = {"spring.config.name=vcc-server", "vcc.service-name=vcc-server-queue-test",
        "db-scheduler.polling-interval=100ms"})
@ActiveProfiles("test")
@Import(TestWorkflows.class)
class OperationNotificationsTest {

    @Autowired
    Workflows workflows;
    @Autowired
    DataSource dataSource;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Replica replica;

    @Test
    void changesGoOutUnderThisReplicasNameAndAnotherReplicasAreNotSentOnAgain() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + OperationNotifications.CHANNEL);
            }
            PGConnection postgres = connection.unwrap(PGConnection.class);

            UUID run = workflows.start("one-at-a-time", null, Map.of(), List.of("node:" + UUID.randomUUID())).id();
            List<String> ours = receive(postgres, run, 5000);
            TestWorkflows.released.add(run);
            assertThat(ours).isNotEmpty().allSatisfy(payload -> assertThat(payload).startsWith(replica.name() + "\n"));
            JsonNode first = JsonMapper.shared().readTree(ours.get(0).substring(ours.get(0).indexOf('\n') + 1));
            assertThat(first.path("operation").path("id").asString()).isEqualTo(run.toString());
            assertThat(first.path("operation").path("state").asString()).isEqualTo("QUEUED");

            UUID elsewhere = UUID.randomUUID();
            OperationView view = new OperationView(elsewhere, "one-at-a-time", RunState.RUNNING, "hold", false, false, 0, 0, null, null,
                    Instant.now(), Instant.now(), null, null, null, Map.of(), List.of());
            String foreign = "another-replica\n" + JsonMapper.shared().writeValueAsString(new OperationChanged(null, view));
            jdbc.sql("select pg_notify(?, ?)").params(OperationNotifications.CHANNEL, foreign).query(Object.class).optional();
            assertThat(receive(postgres, elsewhere, 1500)).as("only the other replica's notification, not one sent on").containsExactly(foreign);
        }
    }

    /** The notifications about an operation that arrive within {@code millis}. */
    private static List<String> receive(PGConnection postgres, UUID operation, long millis) throws Exception {
        List<String> payloads = new ArrayList<>();
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            PGNotification[] notifications = postgres.getNotifications(100);
            if (notifications != null) {
                for (PGNotification notification : notifications) {
                    if (notification.getParameter().contains(operation.toString())) {
                        payloads.add(notification.getParameter());
                    }
                }
            }
        }
        return payloads;
    }
}
