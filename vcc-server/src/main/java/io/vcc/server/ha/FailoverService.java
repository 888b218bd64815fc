package io.vcc.server.ha;

import io.vcc.api.ha.HaInventory;
import io.vcc.api.ha.HaVmInfo;
import io.vcc.api.ha.HypervisorInfo;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.server.security.CurrentUser;
import io.vcc.server.workflow.OperationChanged;
import io.vcc.server.workflow.OperationView;
import io.vcc.server.workflow.RunState;
import io.vcc.server.workflow.Workflows;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starts failovers and failbacks. What cannot work is refused before anything changes: a hypervisor already
 * failed over, a maintenance of a hypervisor that is down, no free VH ({@code no-free-virtual-hypervisor}), a
 * failback while the customer hypervisor is still down. The failover's state follows its operations: set by their
 * last steps, and settled from their end state when they fail (on their event, and again whenever it is read).
 */
@Service
class FailoverService {

    private static final Logger log = LoggerFactory.getLogger(FailoverService.class);

    /** A failover and the operation that runs it (the failover's, or its failback's). */
    record Started(Failover failover, OperationView operation) {
    }

    private final Failovers failovers;
    private final Protections protections;
    private final PoolService pools;
    private final Workflows workflows;
    private final TransactionTemplate transactions;
    private final Clock clock;

    FailoverService(Failovers failovers, Protections protections, PoolService pools, Workflows workflows,
                    TransactionTemplate transactions, Clock clock) {
        this.failovers = failovers;
        this.protections = protections;
        this.pools = pools;
        this.workflows = workflows;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** An operator's trigger (manual or maintenance) of the failover of a protection's hypervisor. */
    Started trigger(UUID protectionId, Trigger trigger, String reason) {
        if (trigger == Trigger.FAILURE || trigger == Trigger.CAPACITY_BURST) {
            throw new VccProblemException(ProblemType.VALIDATION, trigger + " is detected, not requested; use MANUAL or MAINTENANCE");
        }
        Protection protection = protections.find(protectionId, null)
                .orElseThrow(() -> VccProblemException.notFound("Protection", protectionId));
        return start(protection.poolId(), protection.hypervisorId(), trigger, reason);
    }

    /** Fails the customer hypervisor over into the pool; also the failure detector's entry. */
    Started start(UUID poolId, String hypervisorId, Trigger trigger, String reason) {
        return start(poolId, hypervisorId, trigger, reason, null);
    }

    /** As {@link #start(UUID, String, Trigger, String)}, moving only the protected VMs in {@code only} (null: all). */
    Started start(UUID poolId, String hypervisorId, Trigger trigger, String reason, Set<String> only) {
        Pool pool = pools.pool(poolId);
        for (int attempt = 1; ; attempt++) {
            try {
                return tryStart(pool, hypervisorId, trigger, reason, only);
            } catch (DuplicateKeyException e) {
                // Another failover claimed the same VH (or the same hypervisor) between our read and our insert.
                if (attempt == 3 || failovers.openFor(pool.nodeId(), hypervisorId)) {
                    throw new VccProblemException(ProblemType.INVALID_STATE, "Hypervisor " + hypervisorId + " is already failed over, or its VH was taken meanwhile");
                }
            }
        }
    }

    private Started tryStart(Pool pool, String hypervisorId, Trigger trigger, String reason, Set<String> only) {
        if (failovers.openFor(pool.nodeId(), hypervisorId)) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "Hypervisor " + hypervisorId + " is already failed over and not yet failed back");
        }
        List<Protection> covering = protections.of(pool.id(), hypervisorId);
        if (covering.isEmpty()) {
            throw VccProblemException.notFound("Protection of hypervisor", hypervisorId);
        }
        HaInventory inventory = pools.inventory(pool);
        HypervisorInfo failed = inventory.hypervisors().stream().filter(h -> h.id().equals(hypervisorId)).findFirst()
                .orElseThrow(() -> VccProblemException.notFound("Hypervisor", hypervisorId));
        if (trigger.live() && !failed.heartbeat()) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "Hypervisor " + failed.name() + " is down: a " + trigger
                    + " moves running VMs; this needs a failover");
        }
        Set<String> claimed = new HashSet<>(failovers.claimedVirtualHypervisors(pool.nodeId()));
        HypervisorInfo vh = VirtualHypervisorChoice.choose(inventory, pool.name(), failed, claimed)
                .orElseThrow(() -> new VccProblemException(ProblemType.NO_FREE_VIRTUAL_HYPERVISOR, "Pool " + pool.name()
                        + " has no free virtual hypervisor that mirrors " + failed.name() + " or matches its hardware generation "
                        + failed.hardwareGeneration() + " and size (" + failed.cpus() + " CPUs, " + failed.memoryMb() + " MB)"));
        boolean wholeHypervisor = covering.stream().anyMatch(p -> p.vmId() == null);
        Set<String> protectedVms = new HashSet<>(covering.stream().map(Protection::vmId).filter(Objects::nonNull).toList());
        List<Failover.Moved> vms = inventory.vms().stream()
                .filter(vm -> vm.hypervisorId().equals(hypervisorId) && (wholeHypervisor || protectedVms.contains(vm.id())))
                .filter(vm -> only == null || only.contains(vm.id()))
                .map(HaVmInfo::id).sorted().map(id -> new Failover.Moved(id, hypervisorId)).toList();
        if (vms.isEmpty() && only != null) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "None of the chosen VMs is protected on " + failed.name());
        }
        Set<UUID> tenantIds = new HashSet<>();
        covering.forEach(p -> tenantIds.add(p.tenantId()));
        // The operation shows to a tenant only when every VM it moves is that tenant's.
        UUID operationTenant = tenantIds.size() == 1 ? tenantIds.iterator().next() : null;
        Failover failover = new Failover(UUID.randomUUID(), pool.id(), pool.nodeId(), hypervisorId, failed.physicalSystemId(),
                vh.id(), trigger, reason, FailoverState.FAILING_OVER, null, null, clock.instant(), clock.instant(), vms, List.of());
        FailoverParams params = new FailoverParams(failover.id(), pool.nodeId(), pool.name(), trigger, failed.physicalSystemId(),
                hypervisorId, vh.id(), vms);
        OperationView operation = transactions.execute(tx -> {
            failovers.insert(failover, covering.stream().map(Protection::id).toList());
            OperationView started = workflows.start(FailoverWorkflow.TYPE, operationTenant, params, List.of("ha-node:" + pool.nodeId()));
            failovers.operation(failover.id(), started.id());
            return started;
        });
        log.info("Failover {} of hypervisor {} onto VH {} ({}): {}", failover.id(), failed.name(), vh.name(), trigger, reason);
        return new Started(failovers.find(failover.id(), null).orElseThrow(), operation);
    }

    /** Returns the VMs home once their customer hypervisor is healthy again; the VH becomes inactive. */
    Started failback(UUID id) {
        Failover failover = get(id);
        if (failover.state() != FailoverState.HOLDING && failover.state() != FailoverState.STUCK) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "Failover " + id + " is " + failover.state() + "; only a held one fails back");
        }
        Pool pool = pools.pool(failover.poolId());
        HypervisorInfo home = pools.inventory(pool).hypervisors().stream().filter(h -> h.id().equals(failover.hypervisorId()))
                .findFirst().orElseThrow(() -> VccProblemException.notFound("Hypervisor", failover.hypervisorId()));
        if (!home.heartbeat()) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "Hypervisor " + home.name() + " is not healthy yet; repair it first");
        }
        // A VM the failover could not move never left home; failback has nothing to bring back for it.
        FailoverParams params = new FailoverParams(failover.id(), failover.nodeId(), pool.name(), failover.trigger(),
                failover.systemId(), failover.hypervisorId(), failover.virtualHypervisorId(),
                failover.vms().stream().filter(vm -> vm.problem() == null).toList());
        OperationView operation = transactions.execute(tx -> {
            if (!failovers.transition(id, failover.state(), FailoverState.FAILING_BACK, clock.instant())) {
                throw new VccProblemException(ProblemType.INVALID_STATE, "Failover " + id + " changed meanwhile");
            }
            OperationView started = workflows.start(FailbackWorkflow.TYPE, null, params, List.of("ha-node:" + failover.nodeId()));
            failovers.failbackOperation(id, started.id());
            return started;
        });
        return new Started(failovers.find(id, null).orElseThrow(), operation);
    }

    List<Failover> list() {
        return failovers.list(CurrentUser.tenantScope()).stream().map(this::settled).toList();
    }

    Failover get(UUID id) {
        return failovers.find(id, CurrentUser.tenantScope()).map(this::settled)
                .orElseThrow(() -> VccProblemException.notFound("Failover", id));
    }

    @EventListener
    void on(OperationChanged event) {
        OperationView operation = event.operation();
        if (operation.state().terminal() && (operation.type().equals(FailoverWorkflow.TYPE) || operation.type().equals(FailbackWorkflow.TYPE))) {
            failovers.byOperation(operation.id()).ifPresent(this::settled);
        }
    }

    /**
     * The failover's state once its operation ended without its last step: a failover that failed before any VM
     * moved was undone (ABORTED, its VH free); after, it is STUCK where it is; a failed failback was undone and holds.
     */
    private Failover settled(Failover failover) {
        FailoverState next = switch (failover.state()) {
            case FAILING_OVER -> ended(failover.operationId())
                    .map(op -> op.steps().stream().anyMatch(s -> s.name().equals("migrate") && s.state().begun())
                            ? FailoverState.STUCK : FailoverState.ABORTED)
                    .orElse(null);
            case FAILING_BACK -> ended(failover.failbackOperationId()).map(op -> FailoverState.HOLDING).orElse(null);
            default -> null;
        };
        if (next == null || !failovers.transition(failover.id(), failover.state(), next, clock.instant())) {
            return failover;
        }
        log.warn("Failover {} is {} after its operation ended unfinished", failover.id(), next);
        return failovers.find(failover.id(), null).orElseThrow();
    }

    /** The operation, if it ended without succeeding. */
    private java.util.Optional<OperationView> ended(UUID operationId) {
        return operationId == null ? java.util.Optional.empty() : workflows.view(operationId, null)
                .filter(op -> op.state() == RunState.FAILED || op.state() == RunState.CANCELLED);
    }
}
