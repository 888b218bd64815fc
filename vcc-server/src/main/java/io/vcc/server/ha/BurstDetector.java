package io.vcc.server.ha;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.vcc.api.ha.HaInventory;
import io.vcc.api.ha.HaNodeApi;
import io.vcc.api.ha.HaVmInfo;
import io.vcc.api.ha.HypervisorInfo;
import io.vcc.api.problem.VccProblemException;
import io.vcc.server.node.NodeGateway;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The capacity-burst trigger (seed 001): every {@code vcc.ha.detection-interval}, for each pool with a burst policy,
 * a protected customer hypervisor whose CPU load is at the pool's threshold or above, and still is at a second check
 * {@code vcc.ha.confirm-after} later (a spike is not a burst), has the VMs {@link CapacityBurst} chooses moved live
 * to a VH of the pool, as a maintenance would (trigger CAPACITY_BURST). A hypervisor already failed over is left
 * alone until it fails back.
 */
@Configuration(proxyBeanMethods = false)
class BurstDetector {

    private static final Logger log = LoggerFactory.getLogger(BurstDetector.class);

    private final Pools pools;
    private final Protections protections;
    private final Failovers failovers;
    private final FailoverService service;
    private final NodeGateway nodes;
    private final HaSettings settings;

    BurstDetector(Pools pools, Protections protections, Failovers failovers, FailoverService service, NodeGateway nodes,
                  HaSettings settings) {
        this.pools = pools;
        this.protections = protections;
        this.failovers = failovers;
        this.service = service;
        this.nodes = nodes;
        this.settings = settings;
    }

    @Bean
    RecurringTask<Void> haBurstTask() {
        return Tasks.recurring("ha-burst", FixedDelay.of(settings.detectionInterval())).execute((instance, context) -> check());
    }

    void check() {
        for (Pool pool : pools.list()) {
            if (pool.burstThresholdPercent() == null) {
                continue;
            }
            Set<String> watched = new HashSet<>();
            protections.protectedHypervisors().stream()
                    .filter(p -> p.poolId().equals(pool.id()) && !failovers.openFor(pool.nodeId(), p.hypervisorId()))
                    .forEach(p -> watched.add(p.hypervisorId()));
            if (watched.isEmpty() || overloaded(pool, watched).isEmpty()) {
                continue;
            }
            sleep();
            Optional<HaInventory> confirmed = inventory(pool);
            for (String hypervisorId : confirmed.map(inventory -> overloaded(pool, inventory, watched)).orElse(Set.of())) {
                burst(pool, confirmed.get(), hypervisorId);
            }
        }
    }

    private Set<String> overloaded(Pool pool, Set<String> watched) {
        return inventory(pool).map(inventory -> overloaded(pool, inventory, watched)).orElse(Set.of());
    }

    private static Set<String> overloaded(Pool pool, HaInventory inventory, Set<String> watched) {
        Set<String> over = new HashSet<>();
        inventory.hypervisors().stream()
                .filter(h -> watched.contains(h.id()) && h.heartbeat() && h.loadPercent() >= pool.burstThresholdPercent())
                .map(HypervisorInfo::id).forEach(over::add);
        return over;
    }

    private void burst(Pool pool, HaInventory inventory, String hypervisorId) {
        HypervisorInfo hypervisor = inventory.hypervisors().stream().filter(h -> h.id().equals(hypervisorId)).findFirst().orElseThrow();
        List<Protection> covering = protections.of(pool.id(), hypervisorId);
        boolean whole = covering.stream().anyMatch(p -> p.vmId() == null);
        Set<String> protectedVms = new HashSet<>(covering.stream().map(Protection::vmId).filter(Objects::nonNull).toList());
        List<HaVmInfo> running = inventory.vms().stream().filter(vm -> vm.hypervisorId().equals(hypervisorId)).toList();
        List<HaVmInfo> candidates = running.stream().filter(vm -> whole || protectedVms.contains(vm.id())).toList();
        CapacityBurst.choose(running, candidates, hypervisor.loadPercent(), pool.burstThresholdPercent()).ifPresent(chosen -> {
            try {
                service.start(pool.id(), hypervisorId, Trigger.CAPACITY_BURST, "CPU load " + hypervisor.loadPercent()
                        + " % at two checks " + settings.confirmAfter().toMillis() + " ms apart, pool threshold "
                        + pool.burstThresholdPercent() + " %", Set.copyOf(chosen));
            } catch (VccProblemException e) {
                log.warn("Hypervisor {} is overloaded but cannot burst into pool {}: {}", hypervisor.name(), pool.name(), e.getMessage());
            }
        });
    }

    private Optional<HaInventory> inventory(Pool pool) {
        try {
            return Optional.of(nodes.client(pool.nodeId(), HaNodeApi.class).inventory());
        } catch (RuntimeException e) {
            log.debug("Node {} did not answer the burst check: {}", pool.nodeId(), e.toString());
            return Optional.empty();
        }
    }

    private void sleep() {
        try {
            Thread.sleep(settings.confirmAfter().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
