package io.vcc.server.workflow;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Executes runs. A run's steps execute as db-scheduler one-time tasks, one task instance per step
 * ({@code <run>#<index>}, and {@code <run>#<index>#undo} for its compensation). A step's result, the run's
 * new state and the scheduling of the next task commit in one transaction (db-scheduler's data source is
 * transaction-aware); a server that dies mid-step leaves the task picked, db-scheduler revives it, and the
 * step runs again — steps are idempotent. Any failure that is not transient, a step that makes no
 * progress within its definition's deadline, or a cancel, compensates every step that did anything, in
 * reverse order — unless the run has passed a point of no return ({@link Step#pointOfNoReturn()}); then it
 * only goes forward, and a failure ends it without undoing anything.
 */
@Component
class WorkflowEngine {

    static final String TASK = "workflow-step";
    private static final Logger log = LoggerFactory.getLogger(WorkflowEngine.class);
    /** Wakes the scheduler when a step's wait ends, sooner than its next polling would find the step due. */
    private static final ScheduledExecutorService WAKER = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "workflow-waker");
        thread.setDaemon(true);
        return thread;
    });

    private final WorkflowStore store;
    private final Admission admission;
    private final Progress progress;
    private final WorkflowDefinitions definitions;
    private final TransactionTemplate transactions;
    private final ObjectProvider<SchedulerClient> scheduler;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    WorkflowEngine(WorkflowStore store, Admission admission, Progress progress, WorkflowDefinitions definitions,
                   TransactionTemplate transactions, ObjectProvider<SchedulerClient> scheduler, ApplicationEventPublisher events,
                   Clock clock) {
        this.store = store;
        this.admission = admission;
        this.progress = progress;
        this.definitions = definitions;
        this.transactions = transactions;
        this.scheduler = scheduler;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Schedules a step (or its undo) of a run; inside a transaction, it happens only if that commits. The
     * scheduler is woken once it has (a step follows the one before without waiting for the next polling).
     */
    void schedule(UUID runId, int index, boolean undo) {
        String id = runId + "#" + index + (undo ? "#undo" : "");
        scheduler.getObject().scheduleIfNotExists(new TaskInstance<Void>(TASK, id), clock.instant());
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wake(Duration.ZERO);
                }
            });
        } else {
            wake(Duration.ZERO);
        }
    }

    /** Has this replica's scheduler look for due steps after {@code delay} (others find them at their polling). */
    private void wake(Duration delay) {
        if (scheduler.getIfAvailable() instanceof Scheduler local) {
            if (delay.isZero()) {
                local.triggerCheckForDueExecutions();
            } else {
                // A little after the step is due, so that the check finds it.
                WAKER.schedule(local::triggerCheckForDueExecutions, delay.toMillis() + 5, TimeUnit.MILLISECONDS);
            }
        }
    }

    CompletionHandler<Void> execute(String instanceId) {
        String[] parts = instanceId.split("#");
        UUID runId = UUID.fromString(parts[0]);
        int index = Integer.parseInt(parts[1]);
        boolean undo = parts.length > 2;
        WorkflowStore.Run run = store.run(runId).orElse(null);
        if (run == null) {
            return remove();
        }
        WorkflowDefinition definition = definitions.get(run.type());
        try {
            return undo ? compensate(run, definition, index) : forward(run, definition, index);
        } finally {
            events.publishEvent(new OperationChanged(run.tenantId(), store.view(runId)));
        }
    }

    private CompletionHandler<Void> forward(WorkflowStore.Run run, WorkflowDefinition definition, int index) {
        if (run.state().terminal() || run.compensating() || run.stepIndex() != index) {
            return remove();
        }
        if (run.state() == RunState.QUEUED) {
            if (run.cancelRequested()) {
                transactions.executeWithoutResult(tx -> store.finish(run.id(), RunState.CANCELLED, null, null));
                return remove();
            }
            if (!Boolean.TRUE.equals(transactions.execute(tx -> admission.admit(run, definition.limitPerResource())))) {
                return reschedule(Duration.ofSeconds(1));
            }
        }
        Step<?> step = definition.steps().get(index);
        WorkflowStore.StepRow row = store.step(run.id(), index);
        StepContext context = context(run, row);
        // Under the run's lock, so that a cancel and the start of a step past which there is no return are
        // ordered: a cancel that came first compensates; one that comes later is refused (see Workflows.cancel).
        boolean handled = Boolean.TRUE.equals(transactions.execute(tx -> {
            WorkflowStore.Run locked = store.lock(run.id());
            if (locked.cancelRequested() && store.pastNoReturn(run.id(), definition.steps()).isEmpty()) {
                beginCompensation(run.id(), index, "Cancelled by request", null);
                return true;
            }
            if (!step.applies(context)) {
                store.setStep(run.id(), index, StepState.SKIPPED);
                advance(run.id(), definition, index);
                return true;
            }
            store.running(run.id(), index);
            return false;
        }));
        if (handled) {
            return remove();
        }
        StepOutcome<?> outcome;
        try {
            outcome = step.execute(context);
        } catch (RuntimeException e) {
            String message = message(e);
            if (StepFailure.transient_(e) && !stalled(row, definition)) {
                log.info("Operation {} step {}: {}; trying again", run.id(), step.name(), message);
                store.retrying(run.id(), index, message);
                return reschedule(Duration.ofSeconds(Math.min(5, 1L << Math.min(row.attempts(), 3))));
            }
            log.warn("Operation {} step {} failed: {}", run.id(), step.name(), message);
            String type = e instanceof VccProblemException problem ? problem.type().slug() : ProblemType.INTERNAL.slug();
            String reason = StepFailure.transient_(e) ? step.name() + " made no progress within " + definition.stallDeadline()
                    + ": " + message : message;
            transactions.executeWithoutResult(tx -> fail(run.id(), definition, index, reason, type));
            return remove();
        }
        if (outcome instanceof StepOutcome.Done<?> done) {
            transactions.executeWithoutResult(tx -> {
                progress.record(run.id(), index, context);
                store.done(run.id(), index, done.result());
                advance(run.id(), definition, index);
            });
            return remove();
        }
        boolean moved = Boolean.TRUE.equals(transactions.execute(tx -> progress.record(run.id(), index, context)));
        if (!moved && stalled(store.step(run.id(), index), definition)) {
            String reason = step.name() + " made no progress within " + definition.stallDeadline()
                    + (row.error() == null ? "" : ": " + row.error());
            transactions.executeWithoutResult(tx -> fail(run.id(), definition, index, reason, definition.stalledProblem().slug()));
            return remove();
        }
        return reschedule(((StepOutcome.Wait<?>) outcome).delay());
    }

    private CompletionHandler<Void> compensate(WorkflowStore.Run run, WorkflowDefinition definition, int index) {
        if (run.state().terminal()) {
            return remove();
        }
        Step<?> step = definition.steps().get(index);
        WorkflowStore.StepRow row = store.step(run.id(), index);
        if (row.state().toUndo()) {
            store.compensating(run.id(), index);
            store.showUndo(run.id(), step.name());
            try {
                step.compensate(context(run, row));
                store.setStep(run.id(), index, StepState.COMPENSATED);
            } catch (RuntimeException e) {
                if (StepFailure.transient_(e) && !stalled(store.step(run.id(), index), definition)) {
                    log.info("Operation {}: undoing {} failed ({}); trying again", run.id(), step.name(), message(e));
                    store.retrying(run.id(), index, "undo: " + message(e));
                    return reschedule(Duration.ofSeconds(2));
                }
                log.error("Operation {}: could not undo {}: {}", run.id(), step.name(), message(e));
                store.failed(run.id(), index, StepState.UNDO_FAILED, "undo: " + message(e));
                store.addError(run.id(), "; could not undo " + step.name() + ": " + message(e));
            }
        }
        transactions.executeWithoutResult(tx -> {
            Optional<Integer> previous = store.previousToUndo(run.id(), index);
            if (previous.isPresent()) {
                schedule(run.id(), previous.get(), true);
            } else {
                store.finish(run.id(), run.cancelRequested() ? RunState.CANCELLED : RunState.FAILED, null, null);
            }
        });
        return remove();
    }

    // ---- transitions (inside transactions) ---------------------------------------------------------

    private void advance(UUID runId, WorkflowDefinition definition, int index) {
        if (index + 1 < definition.steps().size()) {
            store.advance(runId, index + 1, definition.steps().get(index + 1).name());
            schedule(runId, index + 1, false);
        } else {
            store.finish(runId, RunState.SUCCEEDED, null, null);
        }
    }

    /**
     * A step failed for good: the run compensates what it did, unless it has passed a point of no return;
     * then it ends here, undoing nothing, and says so.
     */
    private void fail(UUID runId, WorkflowDefinition definition, int index, String error, String errorType) {
        Optional<String> noReturn = store.pastNoReturn(runId, definition.steps());
        if (noReturn.isEmpty()) {
            beginCompensation(runId, index, error, errorType);
            return;
        }
        store.failed(runId, index, StepState.FAILED, error);
        store.finish(runId, RunState.FAILED, error + ". Nothing was undone: step " + noReturn.get() + " had begun, after which the"
                + " operation only goes forward, so what it made is kept (leftovers such as staging on the nodes are removed by"
                + " their janitors)", errorType);
    }

    private void beginCompensation(UUID runId, int index, String error, String errorType) {
        store.beginCompensation(runId, index, error, errorType);
        schedule(runId, index, true);
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private StepContext context(WorkflowStore.Run run, WorkflowStore.StepRow row) {
        return new StepContext(run.id(), run.params(), store.results(run.id()), row.polls(), run.cancelRequested(), store.outputs(run.id()));
    }

    private boolean stalled(WorkflowStore.StepRow row, WorkflowDefinition definition) {
        Instant since = row.progressAt() != null ? row.progressAt() : row.startedAt();
        return since != null && Duration.between(since, clock.instant()).compareTo(definition.stallDeadline()) > 0;
    }

    private CompletionHandler<Void> remove() {
        return (complete, operations) -> operations.remove();
    }

    private CompletionHandler<Void> reschedule(Duration delay) {
        return (complete, operations) -> {
            operations.reschedule(complete, clock.instant().plus(delay));
            wake(delay);
        };
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
