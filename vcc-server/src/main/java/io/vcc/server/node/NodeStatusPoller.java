package io.vcc.server.node;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.vcc.api.node.NodeStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Polls every node's status (seed 002, FIG. 21): a node that does not answer becomes
 * {@code NOT_RESPONDING}, and {@code RUNNING} again when it does; a node whose process started again
 * since the last poll (or whose start the server sees for the first time) is announced as {@link NodeRestarted},
 * so modules that program it can do so again.
 * A db-scheduler recurring task shares each round out: one replica schedules a one-time poll per node, and each
 * poll runs on whichever replica is free, so with several server replicas every node is polled once a round, not
 * once per replica (a poll still pending from the last round is not scheduled again).
 */
@Configuration(proxyBeanMethods = false)
class NodeStatusPoller implements DisposableBean {

    static final String POLL_TASK = "node-status-poll";
    private static final Logger log = LoggerFactory.getLogger(NodeStatusPoller.class);

    private final Nodes nodes;
    private final NodeGateway gateway;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final ExecutorService probes = Executors.newFixedThreadPool(8, runnable -> {
        Thread thread = new Thread(runnable, "node-probe");
        thread.setDaemon(true);
        return thread;
    });

    NodeStatusPoller(Nodes nodes, NodeGateway gateway, TransactionTemplate transactions, Clock clock,
                     ApplicationEventPublisher events) {
        this.nodes = nodes;
        this.gateway = gateway;
        this.transactions = transactions;
        this.clock = clock;
        this.events = events;
    }

    @Bean
    RecurringTask<Void> nodeStatusTask(NodeCallSettings settings, ObjectProvider<SchedulerClient> scheduler) {
        Duration interval = settings.statusInterval();
        return Tasks.recurring("node-status", FixedDelay.of(interval)).execute((instance, context) -> shareOut(scheduler.getObject()));
    }

    /** One node's poll, on whichever replica picks it; a failed one is dropped, the next round schedules it again. */
    @Bean
    OneTimeTask<Void> nodeStatusPollTask() {
        return Tasks.oneTime(POLL_TASK, Void.class)
                .onFailure((complete, operations) -> operations.remove())
                .execute((instance, context) -> nodes.findById(UUID.fromString(instance.getId()))
                        .filter(node -> !node.revoked()).ifPresent(this::poll));
    }

    private void shareOut(SchedulerClient scheduler) {
        for (Node node : nodes.findByRevokedAtIsNull()) {
            scheduler.scheduleIfNotExists(new TaskInstance<Void>(POLL_TASK, node.id().toString()), clock.instant());
        }
    }

    /** Polls every node here and now (tests). Revoked nodes are not polled: the server makes no call to them. */
    void pollAll() {
        List<Node> all = nodes.findByRevokedAtIsNull();
        CompletableFuture.allOf(all.stream()
                .map(node -> CompletableFuture.runAsync(() -> poll(node), probes))
                .toArray(CompletableFuture[]::new)).join();
    }

    private void poll(Node node) {
        NodeState observed;
        Instant startedAt = null;
        try {
            NodeStatus status = gateway.probe(node).status();
            startedAt = status.startedAt();
            observed = node.id().equals(status.nodeId()) ? NodeState.RUNNING : NodeState.NOT_RESPONDING;
            if (observed != NodeState.RUNNING) {
                log.warn("Node {} at {} answered as {}, not as itself", node.name(), node.baseUrl(), status.nodeId());
            }
        } catch (RuntimeException e) {
            observed = NodeState.NOT_RESPONDING;
            log.debug("Node {} did not answer: {}", node.name(), e.toString());
        }
        NodeState state = observed;
        Instant reportedStart = state == NodeState.RUNNING ? startedAt : null;
        boolean restarted = Boolean.TRUE.equals(transactions.execute(tx -> nodes.findLockedById(node.id()).map(current -> {
            if (current.observed(state, clock.instant())) {
                log.info("Node {} is now {}", current.name(), state);
            }
            return reportedStart != null && current.started(reportedStart);
        }).orElse(false)));
        if (restarted) {
            log.info("Node {} started (restarted, or seen for the first time)", node.name());
            events.publishEvent(new NodeRestarted(node.id(), node.name()));
        }
    }

    @Override
    public void destroy() {
        probes.shutdownNow();
    }
}
