package io.vcc.server.ha;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.vcc.api.ha.HaInventory;
import io.vcc.api.ha.HaNodeApi;
import io.vcc.api.ha.HaVmInfo;
import io.vcc.api.ha.HypervisorInfo;
import io.vcc.server.node.NodeGateway;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Keeps protected VMs' disks within their RPO: every {@code vcc.ha.replication-interval} each protected VM on a
 * running customer hypervisor whose replica is older than half its RPO is replicated (the node copies only the
 * chunks whose digest changed). A VM protected twice takes the smaller RPO.
 */
@Configuration(proxyBeanMethods = false)
class Replicator {

    private static final Logger log = LoggerFactory.getLogger(Replicator.class);

    private final Protections protections;
    private final Pools pools;
    private final NodeGateway nodes;
    private final HaSettings settings;
    private final Clock clock;

    Replicator(Protections protections, Pools pools, NodeGateway nodes, HaSettings settings, Clock clock) {
        this.protections = protections;
        this.pools = pools;
        this.nodes = nodes;
        this.settings = settings;
        this.clock = clock;
    }

    @Bean
    RecurringTask<Void> haReplicationTask() {
        return Tasks.recurring("ha-replication", FixedDelay.of(settings.replicationInterval())).execute((instance, context) -> replicateDue());
    }

    void replicateDue() {
        Map<UUID, List<Protection>> byPool = protections.list(null).stream().collect(Collectors.groupingBy(Protection::poolId));
        Map<UUID, Map<String, Duration>> rpoByNode = new HashMap<>();
        byPool.forEach((poolId, list) -> pools.find(poolId).ifPresent(pool -> list.forEach(p ->
                rpoByNode.computeIfAbsent(pool.nodeId(), n -> new HashMap<>())
                        .merge(p.vmId() == null ? "hv:" + p.hypervisorId() : p.vmId(), Duration.ofSeconds(p.rpoSeconds()),
                                (a, b) -> a.compareTo(b) <= 0 ? a : b))));
        rpoByNode.forEach(this::replicate);
    }

    private void replicate(UUID nodeId, Map<String, Duration> rpos) {
        try {
            HaNodeApi api = nodes.client(nodeId, HaNodeApi.class);
            HaInventory inventory = api.inventory();
            Set<String> running = inventory.hypervisors().stream().filter(HypervisorInfo::heartbeat).map(HypervisorInfo::id).collect(Collectors.toSet());
            Instant now = clock.instant();
            for (HaVmInfo vm : inventory.vms()) {
                Duration rpo = min(rpos.get(vm.id()), rpos.get("hv:" + vm.hypervisorId()));
                if (rpo == null || !running.contains(vm.hypervisorId())) {
                    continue;
                }
                if (vm.replicaAt() == null || vm.replicaAt().isBefore(now.minus(rpo.dividedBy(2)))) {
                    try {
                        api.replicate(vm.id());
                    } catch (RuntimeException e) {
                        log.warn("Replication of VM {} failed: {}", vm.id(), e.getMessage());
                    }
                }
            }
        } catch (RuntimeException e) {
            log.debug("Node {} did not answer for replication: {}", nodeId, e.toString());
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a == null ? b : b == null ? a : a.compareTo(b) <= 0 ? a : b;
    }
}
