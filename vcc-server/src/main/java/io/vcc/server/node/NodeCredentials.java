package io.vcc.server.node;

import io.vcc.api.node.NodeSecretChange;
import io.vcc.api.node.SessionRequest;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.server.node.NodeCredentialEvent.CredentialEventView;
import io.vcc.server.node.NodeCredentialEvent.Kind;
import io.vcc.server.security.SecretTokens;
import io.vcc.support.client.NodeEndpoint;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rotating a node's secret and revoking a node, with a history of both.
 * <p>
 * The handover never locks the server out: the next secret is stored (encrypted, "pending") before the
 * node hears of it; the server, logged in with the current secret, gives it to the node, which ends every
 * session; only then does the next secret become the current one. If the answer is lost or the server
 * stops in between, {@link #finishHandovers} finds the pending secret later and either finds that the node
 * already takes it or gives it again.
 * <p>
 * Revocation marks the node {@code REVOKED} at once (no poll, no call, its VDCs answer {@code node-revoked})
 * and then hands it a secret nobody keeps, so that a leaked secret stops opening the node too; those
 * handover calls are the only ones a revoked node still gets, until one succeeds (for a day at most).
 */
@Service
class NodeCredentials {

    private static final Logger log = LoggerFactory.getLogger(NodeCredentials.class);
    /** How long the server keeps trying to lock out the secret of a revoked node that does not answer. */
    private static final Duration LOCK_ATTEMPTS = Duration.ofDays(1);

    private final Nodes nodes;
    private final NodeCredentialEvents events;
    private final NodeGateway gateway;
    private final SecretCipher cipher;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Map<UUID, Object> handovers = new ConcurrentHashMap<>();

    NodeCredentials(Nodes nodes, NodeCredentialEvents events, NodeGateway gateway, SecretCipher cipher,
                    TransactionTemplate transactions, Clock clock) {
        this.nodes = nodes;
        this.events = events;
        this.gateway = gateway;
        this.cipher = cipher;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Answers whether the node took the new secret now (else it is handed over when the node answers again). */
    boolean rotate(UUID nodeId, String actor) {
        transactions.executeWithoutResult(tx -> {
            Node node = lockedNode(nodeId);
            if (node.revoked()) {
                throw NodeGateway.revoked(node);
            }
            // An unfinished handover keeps its secret: the node may already have it.
            if (node.pendingSecretEncrypted() == null) {
                node.secretPending(cipher.encrypt(SecretTokens.generate("")));
            }
            events.save(new NodeCredentialEvent(nodeId, Kind.ROTATION_STARTED, actor, clock.instant(), null));
        });
        return handOver(nodeId, actor);
    }

    /** Answers whether the node also took a secret nobody keeps (else that is tried again later). */
    boolean revoke(UUID nodeId, String actor) {
        transactions.executeWithoutResult(tx -> {
            Node node = lockedNode(nodeId);
            if (node.revoked()) {
                throw new VccProblemException(ProblemType.INVALID_STATE, "Node " + node.name() + " was already revoked at "
                        + node.revokedAt() + " by " + node.revokedBy());
            }
            node.revoke(actor, clock.instant());
            // A rotation's secret not handed over yet stays: the node may be taking it right now, and it is as
            // unknown to anyone as a new one would be.
            if (node.pendingSecretEncrypted() == null) {
                node.secretPending(cipher.encrypt(SecretTokens.generate("")));
            }
            events.save(new NodeCredentialEvent(nodeId, Kind.REVOKED, actor, clock.instant(), null));
        });
        gateway.forget(nodeId);
        log.warn("Node {} revoked by {}", nodeId, actor);
        return handOver(nodeId, actor);
    }

    List<CredentialEventView> history(UUID nodeId) {
        node(nodeId);
        return events.findByNodeIdOrderByAt(nodeId).stream().map(NodeCredentialEvent::view).toList();
    }

    /** Hands over every pending secret whose node answers now. */
    void finishHandovers() {
        for (Node node : nodes.findByPendingSecretEncryptedIsNotNull()) {
            if (node.revoked() && node.revokedAt().plus(LOCK_ATTEMPTS).isBefore(clock.instant())) {
                continue;
            }
            try {
                handOver(node.id(), "server");
            } catch (RuntimeException e) {
                log.debug("Handing node {} its new secret failed: {}", node.name(), e.toString());
            }
        }
    }

    /** One handover per node at a time in this server; one from another replica only repeats the same secret. */
    private boolean handOver(UUID nodeId, String actor) {
        synchronized (handovers.computeIfAbsent(nodeId, id -> new Object())) {
            return handOverAlone(nodeId, actor);
        }
    }

    private boolean handOverAlone(UUID nodeId, String actor) {
        Node node = transactions.execute(tx -> node(nodeId));
        String pending = node.pendingSecretEncrypted();
        if (pending == null) {
            return true;
        }
        NodeEndpoint current = gateway.endpoint(node, cipher.decrypt(node.secretEncrypted()));
        String next = cipher.decrypt(pending);
        try {
            gateway.clients().nodeApi(current).changeSecret(new NodeSecretChange(next));
        } catch (VccProblemException e) {
            // The node may have taken it already (its answer lost, or the server stopped before recording it).
            if (!opens(gateway.endpoint(node, next))) {
                log.info("Node {} did not take its new secret yet: {}", node.name(), e.getMessage());
                return false;
            }
        } finally {
            gateway.clients().forget(current);
        }
        Boolean taken = transactions.execute(tx -> {
            Node fresh = lockedNode(nodeId);
            if (!pending.equals(fresh.pendingSecretEncrypted())) {
                // Recorded meanwhile (by another replica), or superseded by a newer handover.
                return pending.equals(fresh.secretEncrypted());
            }
            fresh.secretTaken();
            events.save(new NodeCredentialEvent(nodeId, fresh.revoked() ? Kind.LOCKED : Kind.ROTATED, actor, clock.instant(), null));
            log.info("Node {} took its new secret", node.name());
            return true;
        });
        gateway.forget(nodeId);
        return Boolean.TRUE.equals(taken);
    }

    private boolean opens(NodeEndpoint endpoint) {
        try {
            gateway.clients().nodeApi(endpoint).login(new SessionRequest(endpoint.username(), endpoint.secret()));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private Node node(UUID nodeId) {
        return nodes.findById(nodeId).orElseThrow(() -> VccProblemException.notFound("Node", nodeId));
    }

    private Node lockedNode(UUID nodeId) {
        return nodes.findLockedById(nodeId).orElseThrow(() -> VccProblemException.notFound("Node", nodeId));
    }
}
