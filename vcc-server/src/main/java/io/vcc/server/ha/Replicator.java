package io.vcc.server.ha;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.vcc.api.ha.HaInventory;
import io.vcc.api.ha.HaNodeApi;
import io.vcc.api.ha.HaVmInfo;
import io.vcc.api.ha.ReplicationResult;
import io.vcc.server.node.NodeGateway;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Keeps protected VMs' disks within their RPO: each protection has a durable db-scheduler job ({@code ha-replicate},
 * its id the protection's) that runs a pass every half RPO, on whichever server replica is free and again after a
 * server dies mid-pass. A pass asks the node to replicate each VM the protection covers on its home hypervisor: the
 * node compares the disk's chunk digests with those its replica's checkpoint log holds and sends only the changed
 * chunks. The protection records the pass (its point, chunks compared and sent) or why it failed. While its
 * hypervisor is failed over or down there is nothing to copy from; the job waits. A recurring sweep schedules the
 * job of any protection that lacks one.
 */
@Configuration(proxyBeanMethods = false)
class Replicator {

    static final String TASK = "ha-replicate";
    private static final Logger log = LoggerFactory.getLogger(Replicator.class);

    private final Protections protections;
    private final Pools pools;
    private final Failovers failovers;
    private final NodeGateway nodes;
    private final HaSettings settings;
    private final Clock clock;
    private final ObjectProvider<SchedulerClient> scheduler;

    Replicator(Protections protections, Pools pools, Failovers failovers, NodeGateway nodes, HaSettings settings, Clock clock,
               ObjectProvider<SchedulerClient> scheduler) {
        this.scheduler = scheduler;
        this.protections = protections;
        this.pools = pools;
        this.failovers = failovers;
        this.nodes = nodes;
        this.settings = settings;
        this.clock = clock;
    }

    @Bean
    CustomTask<Void> haReplicateTask() {
        return Tasks.custom(TASK, Void.class)
                .onDeadExecutionRevive()
                .onFailure(new FailureHandler.OnFailureRetryLater<>(Duration.ofSeconds(5)))
                .execute((instance, context) -> {
                    Optional<Duration> next = pass(UUID.fromString(instance.getId()));
                    return next.<CompletionHandler<Void>>map(delay -> (complete, operations) ->
                            operations.reschedule(complete, clock.instant().plus(delay)))
                            .orElseGet(CompletionHandler.OnCompleteRemove::new);
                });
    }

    @Bean
    RecurringTask<Void> haReplicationSweep() {
        return Tasks.recurring("ha-replication", FixedDelay.of(settings.replicationInterval()))
                .execute((instance, context) -> protections.list(null).forEach(p -> schedule(p.id())));
    }

    /** Schedules the protection's first pass now, unless its job exists. */
    void schedule(UUID protectionId) {
        scheduler.getObject().scheduleIfNotExists(new TaskInstance<Void>(TASK, protectionId.toString()), clock.instant());
    }

    /** One pass of the protection; answers when the next is due, or nothing once the protection is gone. */
    Optional<Duration> pass(UUID protectionId) {
        Optional<Protection> found = protections.find(protectionId, null);
        Optional<Pool> pool = found.flatMap(p -> pools.find(p.poolId()));
        if (found.isEmpty() || pool.isEmpty()) {
            return Optional.empty();
        }
        Protection protection = found.get();
        Duration next = Duration.ofSeconds(protection.rpoSeconds()).dividedBy(2);
        if (failovers.openFor(pool.get().nodeId(), protection.hypervisorId())) {
            return Optional.of(next);
        }
        Instant started = clock.instant();
        try {
            HaNodeApi api = nodes.client(pool.get().nodeId(), HaNodeApi.class);
            HaInventory inventory = api.inventory();
            boolean up = inventory.hypervisors().stream().anyMatch(h -> h.id().equals(protection.hypervisorId()) && h.heartbeat());
            if (!up) {
                throw new IllegalStateException("hypervisor " + protection.hypervisorId() + " is down");
            }
            List<HaVmInfo> vms = inventory.vms().stream()
                    .filter(vm -> vm.hypervisorId().equals(protection.hypervisorId()))
                    .filter(vm -> protection.vmId() == null || protection.vmId().equals(vm.id()))
                    .toList();
            Instant point = null;
            int chunks = 0;
            int sent = 0;
            long bytes = 0;
            for (HaVmInfo vm : vms) {
                ReplicationResult result = api.replicate(vm.id());
                chunks += result.chunks();
                sent += result.chunksCopied();
                bytes += result.bytesCopied();
                point = point == null || result.replicaAt().isBefore(point) ? result.replicaAt() : point;
            }
            protections.replicated(protectionId, new Protection.ReplicationPoint(point == null ? started : point, vms.size(),
                    chunks, sent, bytes));
        } catch (RuntimeException e) {
            log.warn("Replication of protection {} failed: {}", protectionId, e.getMessage());
            protections.replicationFailed(protectionId, new Protection.ReplicationFailure(started,
                    e.getMessage() == null ? e.getClass().getSimpleName() : abbreviate(e.getMessage())));
        }
        return Optional.of(next);
    }

    private static String abbreviate(String message) {
        return message.length() <= 1000 ? message : message.substring(0, 997) + "...";
    }
}
