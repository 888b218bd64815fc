package io.vcc.server.ha;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.vcc.api.ha.HaInventory;
import io.vcc.api.ha.HaNodeApi;
import io.vcc.api.ha.HypervisorInfo;
import io.vcc.api.problem.VccProblemException;
import io.vcc.server.node.NodeGateway;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Detects failed customer hypervisors: every {@code vcc.ha.detection-interval} it reads each node's hypervisor
 * heartbeats; a protected hypervisor whose heartbeat is missing is checked a second time {@code vcc.ha.confirm-after}
 * later, and if still missing, failed over (trigger FAILURE). A node that does not answer at all proves nothing about
 * its hypervisors and triggers nothing. A db-scheduler recurring task: with several server replicas one checks at a
 * time.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HaSettings.class)
class FailureDetector {

    private static final Logger log = LoggerFactory.getLogger(FailureDetector.class);

    private final Protections protections;
    private final Failovers failovers;
    private final FailoverService service;
    private final NodeGateway nodes;
    private final HaSettings settings;

    FailureDetector(Protections protections, Failovers failovers, FailoverService service, NodeGateway nodes, HaSettings settings) {
        this.protections = protections;
        this.failovers = failovers;
        this.service = service;
        this.nodes = nodes;
        this.settings = settings;
    }

    @Bean
    RecurringTask<Void> haDetectionTask() {
        return Tasks.recurring("ha-detection", FixedDelay.of(settings.detectionInterval())).execute((instance, context) -> check());
    }

    void check() {
        Map<UUID, List<Protections.Protected>> byNode = protections.protectedHypervisors().stream()
                .filter(p -> !failovers.openFor(p.nodeId(), p.hypervisorId()))
                .collect(Collectors.groupingBy(Protections.Protected::nodeId));
        byNode.forEach((nodeId, watched) -> {
            Set<String> missing = missing(nodeId, watched, watched.stream().map(Protections.Protected::hypervisorId).collect(Collectors.toSet()));
            if (missing.isEmpty()) {
                return;
            }
            sleep();
            Set<String> confirmed = missing(nodeId, watched, missing);
            for (Protections.Protected p : watched) {
                if (confirmed.contains(p.hypervisorId()) && !failovers.openFor(nodeId, p.hypervisorId())) {
                    try {
                        service.start(p.poolId(), p.hypervisorId(), Trigger.FAILURE,
                                "heartbeat missing at two checks " + settings.confirmAfter().toMillis() + " ms apart");
                    } catch (VccProblemException e) {
                        log.warn("Hypervisor {} failed but cannot fail over: {}", p.hypervisorId(), e.getMessage());
                    }
                }
            }
        });
    }

    /** Which of {@code candidates} the node reports without heartbeat; none when the node does not answer. */
    private Set<String> missing(UUID nodeId, List<Protections.Protected> watched, Set<String> candidates) {
        HaInventory inventory;
        try {
            inventory = nodes.client(nodeId, HaNodeApi.class).inventory();
        } catch (RuntimeException e) {
            log.debug("Node {} did not answer the HA check: {}", nodeId, e.toString());
            return Set.of();
        }
        return inventory.hypervisors().stream()
                .filter(h -> candidates.contains(h.id()) && !h.heartbeat())
                .map(HypervisorInfo::id).collect(Collectors.toSet());
    }

    private void sleep() {
        try {
            Thread.sleep(settings.confirmAfter().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
