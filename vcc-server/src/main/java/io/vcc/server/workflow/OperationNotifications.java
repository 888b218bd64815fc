package io.vcc.server.workflow;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Carries {@link OperationChanged} events between server replicas through PostgreSQL {@code LISTEN/NOTIFY}, so an
 * event stream on one replica shows operations whose steps another runs. Every change this replica publishes is
 * sent as a notification (the operation as JSON, or only its id when that would not fit PostgreSQL's 8000-byte
 * payload); every other replica publishes it again as its own {@code OperationChanged}, so its subscribers see the
 * same sequence of states. A replica skips its own notifications (it has published them already). A listener that
 * loses its connection reconnects; what was notified meanwhile is not replayed (the operation's next change, or a
 * {@code GET}, shows its state).
 */
@Component
class OperationNotifications implements SmartLifecycle {

    static final String CHANNEL = "vcc_operation_changed";
    private static final int MAX_PAYLOAD_BYTES = 7900;
    private static final JsonMapper JSON = JsonMapper.shared();
    private static final Logger log = LoggerFactory.getLogger(OperationNotifications.class);

    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final WorkflowStore store;
    private final ApplicationEventPublisher events;
    private final String origin;
    /** Set while this replica publishes another's change, which must not be sent on again. */
    private final ThreadLocal<Boolean> relaying = new ThreadLocal<>();
    private volatile boolean running;
    private Thread listener;

    OperationNotifications(JdbcClient jdbc, DataSource dataSource, WorkflowStore store, ApplicationEventPublisher events,
                           Replica replica) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.store = store;
        this.events = events;
        this.origin = replica.name();
    }

    @EventListener
    void on(OperationChanged changed) {
        if (Boolean.TRUE.equals(relaying.get())) {
            return;
        }
        String payload = origin + "\n" + JSON.writeValueAsString(changed);
        if (payload.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
            payload = origin + "\n@" + changed.operation().id();
        }
        try {
            jdbc.sql("select pg_notify(?, ?)").params(CHANNEL, payload).query(Object.class).optional();
        } catch (RuntimeException e) {
            // the operation itself is recorded; only other replicas' streams miss this change
            log.warn("Could not notify other replicas of operation {}: {}", changed.operation().id(), e.toString());
        }
    }

    void relay(String payload) {
        int newline = payload.indexOf('\n');
        if (newline < 0 || payload.substring(0, newline).equals(origin)) {
            return;
        }
        String body = payload.substring(newline + 1);
        OperationChanged changed;
        if (body.startsWith("@")) {
            UUID id = UUID.fromString(body.substring(1));
            WorkflowStore.Run run = store.run(id).orElse(null);
            if (run == null) {
                return;
            }
            changed = new OperationChanged(run.tenantId(), store.view(id));
        } else {
            changed = JSON.readValue(body, OperationChanged.class);
        }
        relaying.set(true);
        try {
            events.publishEvent(changed);
        } finally {
            relaying.remove();
        }
    }

    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                PGConnection postgres = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = postgres.getNotifications(500);
                    if (notifications == null) {
                        continue;
                    }
                    for (PGNotification notification : notifications) {
                        try {
                            relay(notification.getParameter());
                        } catch (RuntimeException e) {
                            log.warn("Could not relay an operation change from another replica: {}", e.toString());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    log.warn("Listening for other replicas' operation changes failed ({}); listening again in 1 s", e.toString());
                    sleep();
                }
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void start() {
        running = true;
        listener = new Thread(this::listen, "operation-notifications");
        listener.setDaemon(true);
        listener.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (listener != null) {
            try {
                listener.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            listener = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
