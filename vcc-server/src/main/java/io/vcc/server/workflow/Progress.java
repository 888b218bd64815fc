package io.vcc.server.workflow;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A running step's progress: its bytes, and the run's rate (a moving average) and ETA. Whether the bytes moved
 * is what tells a slow step from a stalled one.
 */
@Component
class Progress {

    private final JdbcClient jdbc;
    private final WorkflowStore store;
    private final Clock clock;

    Progress(JdbcClient jdbc, WorkflowStore store, Clock clock) {
        this.jdbc = jdbc;
        this.store = store;
        this.clock = clock;
    }

    /** Records the step's progress and outputs; answers whether the byte count moved. */
    boolean record(UUID runId, int index, StepContext context) {
        if (!context.outputs.isEmpty()) {
            store.addOutputs(runId, context.outputs);
        }
        if (context.bytesDone < 0) {
            return false;
        }
        Map<String, Object> current = jdbc.sql("select bytes_done, bytes_total, rate_bps, updated_at from workflow_run where id = ?")
                .param(runId).query().singleRow();
        long before = ((Number) current.get("bytes_done")).longValue();
        long beforeTotal = ((Number) current.get("bytes_total")).longValue();
        Instant then = ((Timestamp) current.get("updated_at")).toInstant();
        Instant now = clock.instant();
        boolean moved = context.bytesDone > before || context.bytesTotal != beforeTotal;
        Long rate = current.get("rate_bps") == null ? null : ((Number) current.get("rate_bps")).longValue();
        double seconds = Math.max(0.001, Duration.between(then, now).toMillis() / 1000.0);
        if (context.bytesTotal == beforeTotal && context.bytesDone >= before) {
            long instant = (long) ((context.bytesDone - before) / seconds);
            rate = rate == null ? instant : (long) (0.6 * rate + 0.4 * instant);
        } else {
            rate = null;
        }
        Long eta = rate == null || rate <= 0 ? null : Math.max(0, (context.bytesTotal - context.bytesDone) / rate);
        jdbc.sql("update workflow_run set bytes_done = ?, bytes_total = ?, rate_bps = ?, eta_seconds = ?, updated_at = ? where id = ?")
                .params(context.bytesDone, context.bytesTotal, rate, eta, Timestamp.from(now), runId).update();
        jdbc.sql("update workflow_step set bytes_done = ?, bytes_total = ?, progress_at = case when ? then ? else progress_at end where run_id = ? and idx = ?")
                .params(context.bytesDone, context.bytesTotal, moved, Timestamp.from(now), runId, index).update();
        return moved;
    }
}
