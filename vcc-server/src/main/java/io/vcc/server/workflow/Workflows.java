package io.vcc.server.workflow;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Workflows as the rest of the server uses them: start a run, see runs, cancel one. The {@link WorkflowEngine}
 * executes them; every change is published as an {@link OperationChanged} event.
 */
@Service
public class Workflows {

    private final WorkflowStore store;
    private final WorkflowEngine engine;
    private final WorkflowDefinitions definitions;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;

    Workflows(WorkflowStore store, WorkflowEngine engine, WorkflowDefinitions definitions, TransactionTemplate transactions,
              ApplicationEventPublisher events) {
        this.store = store;
        this.engine = engine;
        this.definitions = definitions;
        this.transactions = transactions;
        this.events = events;
    }

    /**
     * Starts a run: it queues until every one of its {@code resources} (e.g. {@code node:<id>}) is held by
     * fewer runs of its type than the definition's limit and it is its turn (see {@link Admission}), then runs
     * its steps.
     */
    public OperationView start(String type, UUID tenantId, Object params, Collection<String> resources) {
        WorkflowDefinition definition = definitions.get(type);
        UUID id = UUID.randomUUID();
        transactions.executeWithoutResult(tx -> {
            store.insert(id, type, tenantId, params, Admission.resourceKey(resources), definition.steps());
            engine.schedule(id, 0, false);
        });
        return published(tenantId, id);
    }

    /** A run the caller may see: every run for an admin ({@code scope} null), their tenant's otherwise. */
    public Optional<OperationView> view(UUID id, UUID scope) {
        return store.visible(id, scope) ? Optional.of(store.view(id)) : Optional.empty();
    }

    public List<OperationView> list(UUID scope, RunState state) {
        return store.list(scope, state).stream().map(store::view).toList();
    }

    /**
     * Asks a run to stop: it compensates what it did and ends CANCELLED. Refused (invalid state) once it has
     * ended, and once it has begun a step past which it only goes forward.
     */
    public OperationView cancel(UUID id, UUID scope) {
        if (!store.visible(id, scope)) {
            throw VccProblemException.notFound("Operation", id);
        }
        UUID tenantId = transactions.execute(tx -> {
            // Under the run's lock: a step past which there is no return either began before (refused here) or
            // begins after this commits and then sees the request (see WorkflowEngine.forward).
            WorkflowStore.Run run = store.lock(id);
            if (run.state().terminal()) {
                throw new VccProblemException(ProblemType.INVALID_STATE, "Operation " + id + " already ended " + run.state());
            }
            store.pastNoReturn(id, definitions.get(run.type()).steps()).ifPresent(step -> {
                throw new VccProblemException(ProblemType.INVALID_STATE, "Operation " + id + " can no longer be cancelled: its step "
                        + step + " has begun, after which it only goes forward (undoing earlier steps would lose both copies);"
                        + " it finishes on its own");
            });
            store.requestCancel(id);
            return run.tenantId();
        });
        return published(tenantId, id);
    }

    private OperationView published(UUID tenantId, UUID id) {
        OperationView view = store.view(id);
        events.publishEvent(new OperationChanged(tenantId, view));
        return view;
    }
}
