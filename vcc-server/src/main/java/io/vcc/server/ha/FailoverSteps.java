package io.vcc.server.ha;

import io.vcc.api.ha.HaInventory;
import io.vcc.api.ha.HaNodeApi;
import io.vcc.api.ha.HostChange;
import io.vcc.api.ha.HypervisorInfo;
import io.vcc.api.ha.HypervisorKind;
import io.vcc.api.ha.HypervisorState;
import io.vcc.api.ha.PhysicalSystemInfo;
import io.vcc.api.ha.Placement;
import io.vcc.api.problem.VccProblemException;
import io.vcc.server.node.NodeGateway;
import io.vcc.server.workflow.Step;
import io.vcc.server.workflow.StepContext;
import io.vcc.server.workflow.StepFailure;
import io.vcc.server.workflow.StepOutcome;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The steps of failover and failback (seed 001, FIG. 7), each with its compensation beside it. Every node call is
 * idempotent, so a step that runs again after a restart repeats nothing harmful.
 */
@Component
class FailoverSteps implements DisposableBean {

    private final NodeGateway nodes;
    private final Failovers failovers;
    private final Clock clock;
    private final ExecutorService movers;

    private final Step<Void> fence;
    private final Step<String> activate;
    private final Step<Integer> migrate;
    private final Step<String[]> evacuate;
    private final Step<Void> hold;
    private final Step<Integer> migrateBack;
    private final Step<Void> deactivate;
    private final Step<Void> release;

    FailoverSteps(NodeGateway nodes, Failovers failovers, Clock clock, HaSettings settings) {
        this.nodes = nodes;
        this.failovers = failovers;
        this.clock = clock;
        this.movers = Executors.newFixedThreadPool(settings.migrateParallelism(), runnable -> {
            Thread thread = new Thread(runnable, "ha-mover");
            thread.setDaemon(true);
            return thread;
        });
        // A failed system is powered off before anything of it runs elsewhere, so no VM ever runs twice. Not undone:
        // a system that failed stays off until an operator repairs it.
        this.fence = Step.of("fence", Void.class, this::fence).onlyIf(c -> params(c).trigger() == Trigger.FAILURE);
        this.activate = Step.of("activate", String.class, this::activate)
                .compensatedBy(c -> NodeConflicts.retried(() -> ha(c).deactivate(params(c).virtualHypervisorId())));
        // Once VMs move, the run only goes forward: undoing would put them back on a hypervisor that failed.
        this.migrate = Step.of("migrate", Integer.class, this::migrate).asPointOfNoReturn();
        this.evacuate = Step.of("evacuate", String[].class, this::evacuate);
        this.hold = Step.of("hold", Void.class, this::hold);
        this.migrateBack = Step.of("migrate-back", Integer.class, this::migrateBack).compensatedBy(this::returnToVh);
        this.deactivate = Step.of("deactivate", Void.class, c -> {
            NodeConflicts.retried(() -> ha(c).deactivate(params(c).virtualHypervisorId()));
            return StepOutcome.done(null);
        }).compensatedBy(c -> NodeConflicts.retried(() -> ha(c).activate(params(c).virtualHypervisorId())));
        this.release = Step.of("release", Void.class, this::release);
    }

    List<Step<?>> failover() {
        return List.of(fence, activate, migrate, evacuate, hold);
    }

    List<Step<?>> failback() {
        return List.of(migrateBack, deactivate, release);
    }

    private StepOutcome<Void> fence(StepContext context) {
        PhysicalSystemInfo system = NodeConflicts.retried(() -> ha(context).fence(params(context).systemId()));
        context.output("fenced", system.name());
        return StepOutcome.done(null);
    }

    private StepOutcome<String> activate(StepContext context) {
        HypervisorInfo vh = NodeConflicts.retried(() -> ha(context).activate(params(context).virtualHypervisorId()));
        context.output("virtualHypervisor", vh.name());
        return StepOutcome.done(vh.id());
    }

    /**
     * Moves the VMs onto the VH. A VM the node refuses to place (no room, its IP taken on its tag…) does not stop the
     * others: it is named with the node's reason in the failover's result and stays where it was. Only when no VM
     * could move does the step fail.
     */
    private StepOutcome<Integer> migrate(StepContext context) {
        FailoverParams p = params(context);
        Placement.Mode mode = p.trigger().live() ? Placement.Mode.LIVE : Placement.Mode.RESTORE;
        Map<String, VccProblemException> refused = placeEach(context, p.vms(), vm -> new Placement(p.virtualHypervisorId(), mode));
        Map<String, String> problems = new TreeMap<>();
        refused.forEach((vm, e) -> problems.put(vm, abbreviate(e.getMessage())));
        failovers.notMoved(p.failoverId(), problems);
        if (!refused.isEmpty() && refused.size() == p.vms().size()) {
            throw refused.values().iterator().next();
        }
        if (!problems.isEmpty()) {
            context.output("notMoved", problems);
        }
        return StepOutcome.done(p.vms().size() - refused.size());
    }

    /**
     * Moves every other inactive VH off the active VH's system to the pool's other running systems, the emptiest
     * first, so that the customer has the whole first-level hypervisor (claims 1 and 8). VHs held by another open
     * failover stay. Without another running pool system nothing can move; the run says so and goes on, since the
     * VMs already run.
     */
    private StepOutcome<String[]> evacuate(StepContext context) {
        FailoverParams p = params(context);
        HaNodeApi api = ha(context);
        HaInventory inventory = api.inventory();
        String host = inventory.hypervisors().stream().filter(h -> h.id().equals(p.virtualHypervisorId())).findFirst()
                .orElseThrow().physicalSystemId();
        Set<String> claimed = new HashSet<>(failovers.claimedVirtualHypervisors(p.nodeId()));
        List<HypervisorInfo> toMove = inventory.hypervisors().stream()
                .filter(h -> h.kind() == HypervisorKind.VIRTUAL && h.physicalSystemId().equals(host))
                .filter(h -> h.state() == HypervisorState.INACTIVE && !claimed.contains(h.id()))
                .toList();
        Map<String, Long> load = new HashMap<>(inventory.systems().stream()
                .filter(s -> VirtualHypervisorChoice.inPool(s, p.pool()) && !s.id().equals(host))
                .collect(Collectors.toMap(PhysicalSystemInfo::id, s -> inventory.hypervisors().stream()
                        .filter(h -> h.kind() == HypervisorKind.VIRTUAL && h.physicalSystemId().equals(s.id())).count())));
        List<String> moved = new ArrayList<>();
        Map<String, String> stayed = new TreeMap<>();
        for (HypervisorInfo vh : toMove) {
            var target = load.entrySet().stream().min(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
            if (target.isEmpty()) {
                stayed.put(vh.id(), vh.name() + ": no other running system in pool " + p.pool());
                continue;
            }
            try {
                NodeConflicts.retried(() -> api.move(vh.id(), new HostChange(target.get().getKey())));
            } catch (VccProblemException e) {
                if (StepFailure.transient_(e)) {
                    throw e;
                }
                stayed.put(vh.id(), vh.name() + ": " + abbreviate(e.getMessage()));
                continue;
            }
            load.merge(target.get().getKey(), 1L, Long::sum);
            moved.add(vh.name());
        }
        failovers.notEvacuated(p.failoverId(), stayed);
        context.output("evacuated", moved);
        if (!stayed.isEmpty()) {
            context.output("notEvacuated", List.copyOf(stayed.values()));
        }
        return StepOutcome.done(moved.toArray(String[]::new));
    }

    private StepOutcome<Void> hold(StepContext context) {
        failovers.transition(params(context).failoverId(), FailoverState.FAILING_OVER, FailoverState.HOLDING, clock.instant());
        return StepOutcome.done(null);
    }

    private StepOutcome<Integer> migrateBack(StepContext context) {
        FailoverParams p = params(context);
        return StepOutcome.done(place(context, p.vms(), vm -> new Placement(vm.homeHypervisorId(), Placement.Mode.LIVE)));
    }

    /** Undoes a failback that failed halfway: what already went home returns to the VH (restored if home died again). */
    private void returnToVh(StepContext context) {
        FailoverParams p = params(context);
        HaInventory inventory = ha(context).inventory();
        Set<String> up = inventory.hypervisors().stream().filter(HypervisorInfo::heartbeat).map(HypervisorInfo::id).collect(Collectors.toSet());
        Map<String, String> where = inventory.vms().stream().collect(Collectors.toMap(v -> v.id(), v -> v.hypervisorId()));
        place(context, p.vms(), vm -> new Placement(p.virtualHypervisorId(),
                up.contains(where.get(vm.vmId())) ? Placement.Mode.LIVE : Placement.Mode.RESTORE));
    }

    private StepOutcome<Void> release(StepContext context) {
        failovers.transition(params(context).failoverId(), FailoverState.FAILING_BACK, FailoverState.FAILED_BACK, clock.instant());
        return StepOutcome.done(null);
    }

    /** Places the VMs as {@link #placeEach} does; any refusal fails the step. */
    private int place(StepContext context, List<Failover.Moved> vms, Function<Failover.Moved, Placement> where) {
        Map<String, VccProblemException> refused = placeEach(context, vms, where);
        if (!refused.isEmpty()) {
            throw refused.values().iterator().next();
        }
        return vms.size();
    }

    /**
     * Places the VMs in parallel (up to {@code vcc.ha.migrate-parallelism}), each call made again while the node
     * answers {@code conflict}. Answers the VMs the node refused, with its refusal; a node that does not answer (a
     * transient failure) or anything unexpected fails the step, which the engine runs again.
     */
    private Map<String, VccProblemException> placeEach(StepContext context, List<Failover.Moved> vms, Function<Failover.Moved, Placement> where) {
        HaNodeApi api = ha(context);
        AtomicInteger done = new AtomicInteger();
        Map<String, VccProblemException> refused = new ConcurrentHashMap<>();
        try {
            CompletableFuture.allOf(vms.stream().map(vm -> CompletableFuture.runAsync(() -> {
                try {
                    NodeConflicts.retried(() -> api.place(vm.vmId(), where.apply(vm)));
                    done.incrementAndGet();
                } catch (VccProblemException e) {
                    if (StepFailure.transient_(e)) {
                        throw e;
                    }
                    refused.put(vm.vmId(), e);
                }
            }, movers)).toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        } finally {
            context.progress(done.get(), vms.size());
        }
        return new TreeMap<>(refused);
    }

    private static String abbreviate(String message) {
        String text = message == null ? "refused" : message;
        return text.length() <= 900 ? text : text.substring(0, 897) + "...";
    }

    private HaNodeApi ha(StepContext context) {
        return nodes.client(params(context).nodeId(), HaNodeApi.class);
    }

    private static FailoverParams params(StepContext context) {
        return context.params(FailoverParams.class);
    }

    @Override
    public void destroy() {
        movers.shutdownNow();
    }
}
