package io.vcc.server.workflow;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The workflow engine. A run's steps execute as db-scheduler one-time tasks, one task instance per step
 * ({@code <run>#<index>}, and {@code <run>#<index>#undo} for its compensation). A step's result, the run's
 * new state and the scheduling of the next task commit in one transaction (db-scheduler's data source is
 * transaction-aware); a server that dies mid-step leaves the task picked, db-scheduler revives it, and the
 * step runs again — steps are idempotent. Any failure that is not transient, a step that makes no
 * progress within its definition's deadline, or a cancel, compensates every step that did anything, in
 * reverse order.
 */
@Service
public class Workflows {

    static final String TASK = "workflow-step";
    private static final Logger log = LoggerFactory.getLogger(Workflows.class);
    private static final JsonMapper JSON = JsonMapper.shared();
    private static final long ADMISSION_LOCK = 0x7766_6c6f_7721L;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ObjectProvider<SchedulerClient> scheduler;
    private final Map<String, WorkflowDefinition> definitions;
    private final OperationEvents events;
    private final Clock clock;

    Workflows(JdbcClient jdbc, TransactionTemplate transactions, ObjectProvider<SchedulerClient> scheduler,
              List<WorkflowDefinition> definitions, OperationEvents events, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.scheduler = scheduler;
        this.definitions = definitions.stream().collect(Collectors.toMap(WorkflowDefinition::type, Function.identity()));
        this.events = events;
        this.clock = clock;
    }

    // ---- public API --------------------------------------------------------------------------------

    /**
     * Starts a run: it queues until every one of its {@code resources} (e.g. {@code node:<id>}) is held by
     * fewer runs of its type than the definition's limit, then runs its steps.
     */
    public OperationView start(String type, UUID tenantId, Object params, Collection<String> resources) {
        WorkflowDefinition definition = definition(type);
        UUID id = UUID.randomUUID();
        Timestamp now = now();
        transactions.executeWithoutResult(tx -> {
            jdbc.sql("""
                            insert into workflow_run (id, type, tenant_id, state, step_index, current_step, resources, params,
                                                      created_at, updated_at)
                            values (?, ?, ?, 'QUEUED', 0, ?, ?, ?, ?, ?)""")
                    .params(id, type, tenantId, definition.steps().get(0).name(), resourceKey(resources),
                            JSON.writeValueAsString(params), now, now)
                    .update();
            List<Step> steps = definition.steps();
            for (int i = 0; i < steps.size(); i++) {
                jdbc.sql("insert into workflow_step (run_id, idx, name, state) values (?, ?, ?, 'PENDING')")
                        .params(id, i, steps.get(i).name()).update();
            }
            schedule(id, 0, false, clock.instant());
        });
        OperationView view = view(id, null).orElseThrow();
        events.publish(tenantId, view);
        return view;
    }

    /** A run the caller may see: every run for an admin ({@code scope} null), their tenant's otherwise. */
    public Optional<OperationView> view(UUID id, UUID scope) {
        return jdbc.sql("select * from workflow_run where id = ? and (cast(? as uuid) is null or tenant_id = ?)")
                .params(id, scope, scope)
                .query((rs, row) -> rs.getString("id"))
                .optional()
                .map(found -> build(id));
    }

    public List<OperationView> list(UUID scope, RunState state) {
        return jdbc.sql("""
                        select id from workflow_run where (cast(? as uuid) is null or tenant_id = ?)
                          and (cast(? as varchar) is null or state = ?) order by created_at desc limit 500""")
                .params(scope, scope, state == null ? null : state.name(), state == null ? null : state.name())
                .query(UUID.class).list().stream().map(this::build).toList();
    }

    /** Asks a run to stop: it compensates what it did and ends CANCELLED. */
    public OperationView cancel(UUID id, UUID scope) {
        OperationView view = view(id, scope).orElseThrow(() -> VccProblemException.notFound("Operation", id));
        transactions.executeWithoutResult(tx -> {
            // Under the run's lock: a step past which there is no return either began before (refused here) or
            // begins after this commits and then sees the request (see forward).
            Run run = lockRun(id);
            if (run.state.terminal()) {
                throw new VccProblemException(ProblemType.INVALID_STATE, "Operation " + id + " already ended " + run.state);
            }
            pastNoReturn(run.id, definition(run.type)).ifPresent(step -> {
                throw new VccProblemException(ProblemType.INVALID_STATE, "Operation " + id + " can no longer be cancelled: its step "
                        + step + " has begun, after which it only goes forward (undoing earlier steps would lose both copies); it finishes on its own");
            });
            jdbc.sql("update workflow_run set cancel_requested = true, updated_at = ? where id = ?").params(now(), id).update();
        });
        OperationView updated = build(id);
        events.publish(tenantOf(id), updated);
        return updated;
    }

    // ---- execution (db-scheduler) ------------------------------------------------------------------

    CompletionHandler<Void> execute(String instanceId) {
        String[] parts = instanceId.split("#");
        UUID runId = UUID.fromString(parts[0]);
        int index = Integer.parseInt(parts[1]);
        boolean undo = parts.length > 2;
        Run run = run(runId).orElse(null);
        if (run == null) {
            return remove();
        }
        WorkflowDefinition definition = definition(run.type);
        try {
            return undo ? compensate(run, definition, index) : forward(run, definition, index);
        } finally {
            events.publish(run.tenantId, build(runId));
        }
    }

    private CompletionHandler<Void> forward(Run run, WorkflowDefinition definition, int index) {
        if (run.state.terminal() || run.compensating || run.stepIndex != index) {
            return remove();
        }
        if (run.state == RunState.QUEUED) {
            if (run.cancelRequested) {
                transactions.executeWithoutResult(tx -> finish(run.id, RunState.CANCELLED, null));
                return remove();
            }
            if (!Boolean.TRUE.equals(transactions.execute(tx -> admit(run, definition)))) {
                return reschedule(Duration.ofSeconds(1));
            }
        }
        Step step = definition.steps().get(index);
        StepRow row = stepRow(run.id, index);
        StepContext context = new StepContext(run.id, run.params, results(run.id), row.polls, run.cancelRequested, outputs(run.id));
        // Under the run's lock, so that a cancel and the start of a step past which there is no return are
        // ordered: a cancel that came first compensates; one that comes later is refused (see cancel).
        boolean handled = Boolean.TRUE.equals(transactions.execute(tx -> {
            Run locked = lockRun(run.id);
            if (locked.cancelRequested && pastNoReturn(run.id, definition).isEmpty()) {
                beginCompensation(run.id, index, "Cancelled by request", null);
                return true;
            }
            if (!step.applies(context)) {
                jdbc.sql("update workflow_step set state = 'SKIPPED', ended_at = ? where run_id = ? and idx = ?")
                        .params(now(), run.id, index).update();
                advance(run.id, definition, index);
                return true;
            }
            jdbc.sql("""
                            update workflow_step set state = 'RUNNING', polls = polls + 1, started_at = coalesce(started_at, ?),
                                progress_at = coalesce(progress_at, ?) where run_id = ? and idx = ?""")
                    .params(now(), now(), run.id, index).update();
            return false;
        }));
        if (handled) {
            return remove();
        }
        StepOutcome outcome;
        try {
            outcome = step.execute(context);
        } catch (RuntimeException e) {
            String message = message(e);
            if (StepFailure.transient_(e) && !stalled(row, definition)) {
                log.info("Operation {} step {}: {}; trying again", run.id, step.name(), message);
                jdbc.sql("update workflow_step set attempts = attempts + 1, error = ? where run_id = ? and idx = ?")
                        .params(message, run.id, index).update();
                return reschedule(Duration.ofSeconds(Math.min(5, 1L << Math.min(row.attempts, 3))));
            }
            log.warn("Operation {} step {} failed: {}", run.id, step.name(), message);
            String type = e instanceof VccProblemException problem ? problem.type().slug() : ProblemType.INTERNAL.slug();
            String reason = StepFailure.transient_(e) ? step.name() + " made no progress within " + definition.stallDeadline()
                    + ": " + message : message;
            transactions.executeWithoutResult(tx -> fail(run.id, definition, index, reason, type));
            return remove();
        }
        if (outcome instanceof StepOutcome.Done done) {
            transactions.executeWithoutResult(tx -> {
                progress(run, index, context);
                jdbc.sql("update workflow_step set state = 'DONE', result = ?, error = null, ended_at = ? where run_id = ? and idx = ?")
                        .params(JSON.writeValueAsString(done.result()), now(), run.id, index).update();
                advance(run.id, definition, index);
            });
            return remove();
        }
        StepOutcome.Wait wait = (StepOutcome.Wait) outcome;
        boolean moved = Boolean.TRUE.equals(transactions.execute(tx -> progress(run, index, context)));
        if (!moved && stalled(stepRow(run.id, index), definition)) {
            transactions.executeWithoutResult(tx -> fail(run.id, definition, index, step.name() + " made no progress within "
                    + definition.stallDeadline() + (row.error == null ? "" : ": " + row.error), ProblemType.TRANSFER_FAILED.slug()));
            return remove();
        }
        return reschedule(wait.delay());
    }

    private CompletionHandler<Void> compensate(Run run, WorkflowDefinition definition, int index) {
        if (run.state.terminal()) {
            return remove();
        }
        Step step = definition.steps().get(index);
        StepRow row = stepRow(run.id, index);
        if (row.state.equals("RUNNING") || row.state.equals("DONE") || row.state.equals("FAILED") || row.state.equals("COMPENSATING")) {
            jdbc.sql("""
                            update workflow_step set state = 'COMPENSATING', progress_at = case when state = 'COMPENSATING'
                                then progress_at else ? end where run_id = ? and idx = ?""")
                    .params(now(), run.id, index).update();
            jdbc.sql("update workflow_run set current_step = ?, updated_at = ? where id = ?")
                    .params("undo " + step.name(), now(), run.id).update();
            StepContext context = new StepContext(run.id, run.params, results(run.id), row.polls, run.cancelRequested, outputs(run.id));
            try {
                step.compensate(context);
                jdbc.sql("update workflow_step set state = 'COMPENSATED', ended_at = ? where run_id = ? and idx = ?")
                        .params(now(), run.id, index).update();
            } catch (RuntimeException e) {
                StepRow current = stepRow(run.id, index);
                if (StepFailure.transient_(e) && !stalled(current, definition)) {
                    log.info("Operation {}: undoing {} failed ({}); trying again", run.id, step.name(), message(e));
                    jdbc.sql("update workflow_step set attempts = attempts + 1, error = ? where run_id = ? and idx = ?")
                            .params("undo: " + message(e), run.id, index).update();
                    return reschedule(Duration.ofSeconds(2));
                }
                log.error("Operation {}: could not undo {}: {}", run.id, step.name(), message(e));
                jdbc.sql("update workflow_step set state = 'UNDO_FAILED', error = ?, ended_at = ? where run_id = ? and idx = ?")
                        .params("undo: " + message(e), now(), run.id, index).update();
                jdbc.sql("update workflow_run set error = coalesce(error, '') || ?, updated_at = ? where id = ?")
                        .params("; could not undo " + step.name() + ": " + message(e), now(), run.id).update();
            }
        }
        transactions.executeWithoutResult(tx -> {
            Integer previous = jdbc.sql("""
                            select max(idx) from workflow_step where run_id = ? and idx < ?
                              and state in ('RUNNING', 'DONE', 'FAILED', 'COMPENSATING')""")
                    .params(run.id, index).query(Integer.class).optional().orElse(null);
            if (previous != null) {
                schedule(run.id, previous, true, clock.instant());
            } else {
                finish(run.id, run.cancelRequested ? RunState.CANCELLED : RunState.FAILED, null);
            }
        });
        return remove();
    }

    // ---- transitions (inside transactions) ---------------------------------------------------------

    private boolean admit(Run run, WorkflowDefinition definition) {
        jdbc.sql("select pg_advisory_xact_lock(?)").param(ADMISSION_LOCK).query(Object.class).optional();
        for (String resource : run.resources.split("\\|")) {
            if (resource.isBlank()) {
                continue;
            }
            long holding = jdbc.sql("""
                            select count(*) from workflow_run where admitted and state = 'RUNNING' and type = ?
                              and resources like ?""")
                    .params(run.type, "%|" + resource + "|%").query(Long.class).single();
            if (holding >= definition.limitPerResource()) {
                return false;
            }
            if (!run.id.equals(nextFor(run.type, resource))) {
                return false;
            }
        }
        jdbc.sql("update workflow_run set admitted = true, state = 'RUNNING', started_at = ?, updated_at = ? where id = ?")
                .params(now(), now(), run.id).update();
        return true;
    }

    /**
     * The queued run that goes next on a resource, fair across tenants: the oldest run of the tenant with the
     * fewest runs of this type going, among equals the tenant admitted least recently (round robin), so one
     * tenant's many runs never keep another's waiting; within a tenant, first come, first served. The order
     * counts a tenant's runs on every resource, not only this one: one order for all resources means a run that
     * needs two (a transfer's source and target node) is never waited for on one by a run it waits for on the
     * other. A run that waits for another of its resources still keeps its turn here.
     */
    private UUID nextFor(String type, String resource) {
        return jdbc.sql("""
                        select q.id from workflow_run q
                         where q.type = ? and q.state = 'QUEUED' and not q.admitted and not q.cancel_requested
                           and q.resources like ?
                         order by (select count(*) from workflow_run h where h.type = q.type and h.admitted
                                     and h.state = 'RUNNING' and h.tenant_id is not distinct from q.tenant_id),
                                  (select max(h.started_at) from workflow_run h where h.type = q.type and h.admitted
                                     and h.tenant_id is not distinct from q.tenant_id) nulls first,
                                  q.created_at, q.id
                         limit 1""")
                .params(type, "%|" + resource + "|%").query(UUID.class).optional().orElse(null);
    }

    private void advance(UUID runId, WorkflowDefinition definition, int index) {
        if (index + 1 < definition.steps().size()) {
            jdbc.sql("""
                            update workflow_run set step_index = ?, current_step = ?, updated_at = ?, bytes_done = 0,
                                bytes_total = 0, rate_bps = null, eta_seconds = null where id = ?""")
                    .params(index + 1, definition.steps().get(index + 1).name(), now(), runId).update();
            schedule(runId, index + 1, false, clock.instant());
        } else {
            finish(runId, RunState.SUCCEEDED, null);
        }
    }

    /**
     * A step failed for good: the run compensates what it did, unless it has passed a point of no return;
     * then it ends here, undoing nothing, and says so.
     */
    private void fail(UUID runId, WorkflowDefinition definition, int index, String error, String errorType) {
        Optional<String> noReturn = pastNoReturn(runId, definition);
        if (noReturn.isEmpty()) {
            beginCompensation(runId, index, error, errorType);
            return;
        }
        String reason = error + ". Nothing was undone: step " + noReturn.get() + " had begun, after which the operation only goes"
                + " forward, so what it made is kept (leftovers such as staging on the nodes are removed by their janitors)";
        jdbc.sql("update workflow_step set state = 'FAILED', error = ?, ended_at = ? where run_id = ? and idx = ?")
                .params(error, now(), runId, index).update();
        jdbc.sql("update workflow_run set error_type = ?, updated_at = ? where id = ?").params(errorType, now(), runId).update();
        finish(runId, RunState.FAILED, reason);
    }

    /** The step past which this run only goes forward, when such a step has begun (or was done). */
    private Optional<String> pastNoReturn(UUID runId, WorkflowDefinition definition) {
        List<Step> steps = definition.steps();
        String points = java.util.stream.IntStream.range(0, steps.size()).filter(i -> steps.get(i).pointOfNoReturn())
                .mapToObj(Integer::toString).collect(Collectors.joining(","));
        if (points.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.sql("select idx from workflow_step where run_id = ? and idx in (" + points + ")"
                        + " and state not in ('PENDING', 'SKIPPED') order by idx limit 1")
                .param(runId).query(Integer.class).optional()
                .map(steps::get).map(Step::name);
    }

    private void beginCompensation(UUID runId, int index, String error, String errorType) {
        jdbc.sql("update workflow_step set state = case when state = 'PENDING' then 'PENDING' else 'FAILED' end, error = ?, ended_at = ? where run_id = ? and idx = ?")
                .params(error, now(), runId, index).update();
        jdbc.sql("update workflow_run set compensating = true, error = ?, error_type = ?, updated_at = ? where id = ?")
                .params(error, errorType, now(), runId).update();
        schedule(runId, index, true, clock.instant());
    }

    private void finish(UUID runId, RunState state, String error) {
        jdbc.sql("""
                        update workflow_run set state = ?, current_step = null, ended_at = ?, updated_at = ?,
                            eta_seconds = null, error = coalesce(?, error) where id = ?""")
                .params(state.name(), now(), now(), error, runId).update();
    }

    /** Records the step's progress and outputs; answers whether the byte count moved. */
    private boolean progress(Run run, int index, StepContext context) {
        if (!context.outputs.isEmpty()) {
            Map<String, Object> outputs = new LinkedHashMap<>(JSON.readValue(currentOutputs(run.id), new TypeReference<Map<String, Object>>() { }));
            outputs.putAll(context.outputs);
            jdbc.sql("update workflow_run set outputs = ? where id = ?").params(JSON.writeValueAsString(outputs), run.id).update();
        }
        if (context.bytesDone < 0) {
            return false;
        }
        Map<String, Object> current = jdbc.sql("select bytes_done, bytes_total, rate_bps, updated_at from workflow_run where id = ?")
                .param(run.id).query().singleRow();
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
                .params(context.bytesDone, context.bytesTotal, rate, eta, Timestamp.from(now), run.id).update();
        jdbc.sql("update workflow_step set bytes_done = ?, bytes_total = ?, progress_at = case when ? then ? else progress_at end where run_id = ? and idx = ?")
                .params(context.bytesDone, context.bytesTotal, moved, Timestamp.from(now), run.id, index).update();
        return moved;
    }

    private void schedule(UUID runId, int index, boolean undo, Instant at) {
        String id = runId + "#" + index + (undo ? "#undo" : "");
        scheduler.getObject().scheduleIfNotExists(new TaskInstance<Void>(TASK, id), at);
    }

    private boolean stalled(StepRow row, WorkflowDefinition definition) {
        Instant since = row.progressAt != null ? row.progressAt : row.startedAt;
        return since != null && Duration.between(since, clock.instant()).compareTo(definition.stallDeadline()) > 0;
    }

    private CompletionHandler<Void> remove() {
        return (complete, operations) -> operations.remove();
    }

    private CompletionHandler<Void> reschedule(Duration delay) {
        return (complete, operations) -> operations.reschedule(complete, clock.instant().plus(delay));
    }

    // ---- reading -----------------------------------------------------------------------------------

    record Run(UUID id, String type, UUID tenantId, RunState state, int stepIndex, boolean compensating,
               boolean cancelRequested, String resources, String params) {
    }

    record StepRow(String state, int attempts, int polls, Instant startedAt, Instant progressAt, String error) {
    }

    private Run lockRun(UUID id) {
        jdbc.sql("select id from workflow_run where id = ? for update").param(id).query(UUID.class).single();
        return run(id).orElseThrow();
    }

    private Optional<Run> run(UUID id) {
        return jdbc.sql("select * from workflow_run where id = ?").param(id)
                .query((rs, row) -> new Run(id, rs.getString("type"), rs.getObject("tenant_id", UUID.class),
                        RunState.valueOf(rs.getString("state")), rs.getInt("step_index"), rs.getBoolean("compensating"),
                        rs.getBoolean("cancel_requested"), rs.getString("resources"), rs.getString("params")))
                .optional();
    }

    private StepRow stepRow(UUID runId, int index) {
        return jdbc.sql("select * from workflow_step where run_id = ? and idx = ?").params(runId, index)
                .query((rs, row) -> new StepRow(rs.getString("state"), rs.getInt("attempts"), rs.getInt("polls"),
                        instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("progress_at")), rs.getString("error")))
                .single();
    }

    private Map<String, String> results(UUID runId) {
        Map<String, String> results = new LinkedHashMap<>();
        jdbc.sql("select name, result from workflow_step where run_id = ? and result is not null order by idx").param(runId)
                .query((rs, row) -> results.put(rs.getString("name"), rs.getString("result"))).list();
        return results;
    }

    private Map<String, Object> outputs(UUID runId) {
        return JSON.readValue(currentOutputs(runId), new TypeReference<Map<String, Object>>() { });
    }

    private String currentOutputs(UUID runId) {
        return jdbc.sql("select outputs from workflow_run where id = ?").param(runId).query(String.class).single();
    }

    private UUID tenantOf(UUID runId) {
        return run(runId).map(Run::tenantId).orElse(null);
    }

    private OperationView build(UUID id) {
        List<OperationView.StepView> steps = jdbc.sql("select * from workflow_step where run_id = ? order by idx").param(id)
                .query((rs, row) -> new OperationView.StepView(rs.getString("name"), rs.getString("state"), rs.getInt("attempts"),
                        rs.getLong("bytes_done"), rs.getLong("bytes_total"), instant(rs.getTimestamp("started_at")),
                        instant(rs.getTimestamp("ended_at")), rs.getString("error")))
                .list();
        return jdbc.sql("select * from workflow_run where id = ?").param(id)
                .query((rs, row) -> new OperationView(id, rs.getString("type"), RunState.valueOf(rs.getString("state")),
                        rs.getString("current_step"), rs.getBoolean("compensating"), rs.getBoolean("cancel_requested"),
                        rs.getLong("bytes_done"), rs.getLong("bytes_total"), (Long) rs.getObject("rate_bps"),
                        (Long) rs.getObject("eta_seconds"), instant(rs.getTimestamp("created_at")),
                        instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("ended_at")), rs.getString("error"),
                        rs.getString("error_type"), JSON.readValue(rs.getString("outputs"), new TypeReference<Map<String, Object>>() { }),
                        steps))
                .single();
    }

    private WorkflowDefinition definition(String type) {
        WorkflowDefinition definition = definitions.get(type);
        if (definition == null) {
            throw new IllegalStateException("No workflow definition of type " + type);
        }
        return definition;
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static String resourceKey(Collection<String> resources) {
        return "|" + String.join("|", resources) + "|";
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
