package io.vcc.server.workflow;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs and their steps in {@code workflow_run} and {@code workflow_step}: every SQL statement of the engine but
 * admission's and progress's. Callers hold the transaction a change belongs to.
 */
@Repository
class WorkflowStore {

    private static final JsonMapper JSON = JsonMapper.shared();
    private static final TypeReference<Map<String, Object>> OUTPUTS = new TypeReference<>() { };

    private final JdbcClient jdbc;
    private final Clock clock;

    WorkflowStore(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    record Run(UUID id, String type, UUID tenantId, RunState state, int stepIndex, boolean compensating,
               boolean cancelRequested, String resources, String params) {
    }

    record StepRow(StepState state, int attempts, int polls, Instant startedAt, Instant progressAt, String error) {
    }

    // ---- runs --------------------------------------------------------------------------------------

    void insert(UUID id, String type, UUID tenantId, Object params, String resources, List<Step<?>> steps) {
        Timestamp now = now();
        jdbc.sql("""
                        insert into workflow_run (id, type, tenant_id, state, step_index, current_step, resources, params,
                                                  created_at, updated_at)
                        values (?, ?, ?, 'QUEUED', 0, ?, ?, ?, ?, ?)""")
                .params(id, type, tenantId, steps.get(0).name(), resources, JSON.writeValueAsString(params), now, now)
                .update();
        for (int i = 0; i < steps.size(); i++) {
            jdbc.sql("insert into workflow_step (run_id, idx, name, state) values (?, ?, ?, 'PENDING')")
                    .params(id, i, steps.get(i).name()).update();
        }
    }

    Optional<Run> run(UUID id) {
        return jdbc.sql("select * from workflow_run where id = ?").param(id)
                .query((rs, row) -> new Run(id, rs.getString("type"), rs.getObject("tenant_id", UUID.class),
                        RunState.valueOf(rs.getString("state")), rs.getInt("step_index"), rs.getBoolean("compensating"),
                        rs.getBoolean("cancel_requested"), rs.getString("resources"), rs.getString("params")))
                .optional();
    }

    /** The run, its row locked until the transaction ends (a cancel and the start of a step are ordered by it). */
    Run lock(UUID id) {
        jdbc.sql("select id from workflow_run where id = ? for update").param(id).query(UUID.class).single();
        return run(id).orElseThrow();
    }

    /** Whether the run exists and the caller may see it: every run for an admin ({@code scope} null). */
    boolean visible(UUID id, UUID scope) {
        return jdbc.sql("select id from workflow_run where id = ? and (cast(? as uuid) is null or tenant_id = ?)")
                .params(id, scope, scope).query(UUID.class).optional().isPresent();
    }

    List<UUID> list(UUID scope, RunState state) {
        String name = state == null ? null : state.name();
        return jdbc.sql("""
                        select id from workflow_run where (cast(? as uuid) is null or tenant_id = ?)
                          and (cast(? as varchar) is null or state = ?) order by created_at desc limit 500""")
                .params(scope, scope, name, name).query(UUID.class).list();
    }

    void requestCancel(UUID id) {
        jdbc.sql("update workflow_run set cancel_requested = true, updated_at = ? where id = ?").params(now(), id).update();
    }

    void advance(UUID runId, int index, String stepName) {
        jdbc.sql("""
                        update workflow_run set step_index = ?, current_step = ?, updated_at = ?, bytes_done = 0,
                            bytes_total = 0, rate_bps = null, eta_seconds = null where id = ?""")
                .params(index, stepName, now(), runId).update();
    }

    void beginCompensation(UUID runId, int index, String error, String errorType) {
        jdbc.sql("update workflow_step set state = case when state = 'PENDING' then 'PENDING' else 'FAILED' end, error = ?, ended_at = ? where run_id = ? and idx = ?")
                .params(error, now(), runId, index).update();
        jdbc.sql("update workflow_run set compensating = true, error = ?, error_type = ?, updated_at = ? where id = ?")
                .params(error, errorType, now(), runId).update();
    }

    void finish(UUID runId, RunState state, String error, String errorType) {
        jdbc.sql("""
                        update workflow_run set state = ?, current_step = null, ended_at = ?, updated_at = ?, eta_seconds = null,
                            error = coalesce(?, error), error_type = coalesce(?, error_type) where id = ?""")
                .params(state.name(), now(), now(), error, errorType, runId).update();
    }

    void addError(UUID runId, String error) {
        jdbc.sql("update workflow_run set error = coalesce(error, '') || ?, updated_at = ? where id = ?")
                .params(error, now(), runId).update();
    }

    void showUndo(UUID runId, String stepName) {
        jdbc.sql("update workflow_run set current_step = ?, updated_at = ? where id = ?").params("undo " + stepName, now(), runId).update();
    }

    void addOutputs(UUID runId, Map<String, Object> added) {
        Map<String, Object> outputs = new LinkedHashMap<>(outputs(runId));
        outputs.putAll(added);
        jdbc.sql("update workflow_run set outputs = ? where id = ?").params(JSON.writeValueAsString(outputs), runId).update();
    }

    // ---- steps -------------------------------------------------------------------------------------

    StepRow step(UUID runId, int index) {
        return jdbc.sql("select * from workflow_step where run_id = ? and idx = ?").params(runId, index)
                .query((rs, row) -> new StepRow(StepState.valueOf(rs.getString("state")), rs.getInt("attempts"), rs.getInt("polls"),
                        instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("progress_at")), rs.getString("error")))
                .single();
    }

    void setStep(UUID runId, int index, StepState state) {
        boolean ends = state == StepState.SKIPPED || state == StepState.COMPENSATED;
        jdbc.sql("update workflow_step set state = ?, ended_at = case when ? then ? else ended_at end where run_id = ? and idx = ?")
                .params(state.name(), ends, now(), runId, index).update();
    }

    /** The step is being executed (again): counts the poll and starts its clocks the first time. */
    void running(UUID runId, int index) {
        jdbc.sql("""
                        update workflow_step set state = 'RUNNING', polls = polls + 1, started_at = coalesce(started_at, ?),
                            progress_at = coalesce(progress_at, ?) where run_id = ? and idx = ?""")
                .params(now(), now(), runId, index).update();
    }

    void done(UUID runId, int index, Object result) {
        jdbc.sql("update workflow_step set state = 'DONE', result = ?, error = null, ended_at = ? where run_id = ? and idx = ?")
                .params(JSON.writeValueAsString(result), now(), runId, index).update();
    }

    void failed(UUID runId, int index, StepState state, String error) {
        jdbc.sql("update workflow_step set state = ?, error = ?, ended_at = ? where run_id = ? and idx = ?")
                .params(state.name(), error, now(), runId, index).update();
    }

    void retrying(UUID runId, int index, String error) {
        jdbc.sql("update workflow_step set attempts = attempts + 1, error = ? where run_id = ? and idx = ?")
                .params(error, runId, index).update();
    }

    /** Starts (or goes on) undoing a step; the stall clock of an undo starts when it does. */
    void compensating(UUID runId, int index) {
        jdbc.sql("""
                        update workflow_step set state = 'COMPENSATING', progress_at = case when state = 'COMPENSATING'
                            then progress_at else ? end where run_id = ? and idx = ?""")
                .params(now(), runId, index).update();
    }

    /** The step before {@code index} that may have done something and is not undone yet. */
    Optional<Integer> previousToUndo(UUID runId, int index) {
        return jdbc.sql("""
                        select idx from workflow_step where run_id = ? and idx < ?
                          and state in ('RUNNING', 'DONE', 'FAILED', 'COMPENSATING') order by idx desc limit 1""")
                .params(runId, index).query(Integer.class).optional();
    }

    /** The point of no return of {@code steps} this run has begun, if any (see {@link Step#pointOfNoReturn()}). */
    Optional<String> pastNoReturn(UUID runId, List<Step<?>> steps) {
        String points = IntStream.range(0, steps.size()).filter(i -> steps.get(i).pointOfNoReturn())
                .mapToObj(Integer::toString).collect(Collectors.joining(","));
        if (points.isEmpty()) {
            return Optional.empty();
        }
        return jdbc.sql("select idx from workflow_step where run_id = ? and idx in (" + points + ")"
                        + " and state not in ('PENDING', 'SKIPPED') order by idx limit 1")
                .param(runId).query(Integer.class).optional().map(index -> steps.get(index).name());
    }

    Map<String, String> results(UUID runId) {
        Map<String, String> results = new LinkedHashMap<>();
        jdbc.sql("select name, result from workflow_step where run_id = ? and result is not null order by idx").param(runId)
                .query((rs, row) -> results.put(rs.getString("name"), rs.getString("result"))).list();
        return results;
    }

    Map<String, Object> outputs(UUID runId) {
        return JSON.readValue(jdbc.sql("select outputs from workflow_run where id = ?").param(runId).query(String.class).single(), OUTPUTS);
    }

    // ---- views -------------------------------------------------------------------------------------

    /**
     * One statement, so one snapshot: read apart, a run could show as ended while its last step still shows as
     * running, when the engine's commit falls between the two reads.
     */
    OperationView view(UUID id) {
        return jdbc.sql("""
                        select r.*, s.name as s_name, s.state as s_state, s.attempts as s_attempts, s.bytes_done as s_bytes_done,
                               s.bytes_total as s_bytes_total, s.started_at as s_started_at, s.ended_at as s_ended_at, s.error as s_error
                        from workflow_run r join workflow_step s on s.run_id = r.id
                        where r.id = ? order by s.idx""")
                .param(id)
                .query(rs -> {
                    List<OperationView.StepView> steps = new ArrayList<>();
                    OperationView run = null;
                    while (rs.next()) {
                        steps.add(new OperationView.StepView(rs.getString("s_name"), StepState.valueOf(rs.getString("s_state")),
                                rs.getInt("s_attempts"), rs.getLong("s_bytes_done"), rs.getLong("s_bytes_total"),
                                instant(rs.getTimestamp("s_started_at")), instant(rs.getTimestamp("s_ended_at")), rs.getString("s_error")));
                        if (run == null) {
                            run = new OperationView(id, rs.getString("type"), RunState.valueOf(rs.getString("state")),
                                    rs.getString("current_step"), rs.getBoolean("compensating"), rs.getBoolean("cancel_requested"),
                                    rs.getLong("bytes_done"), rs.getLong("bytes_total"), (Long) rs.getObject("rate_bps"),
                                    (Long) rs.getObject("eta_seconds"), instant(rs.getTimestamp("created_at")),
                                    instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("ended_at")), rs.getString("error"),
                                    rs.getString("error_type"), JSON.readValue(rs.getString("outputs"), OUTPUTS), steps);
                        }
                    }
                    if (run == null) {
                        throw new EmptyResultDataAccessException("No operation " + id, 1);
                    }
                    return run;
                });
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
