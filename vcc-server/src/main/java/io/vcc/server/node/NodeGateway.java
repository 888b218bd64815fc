package io.vcc.server.node;

import io.vcc.api.datapath.DatapathApi;
import io.vcc.api.node.NodeApi;
import io.vcc.api.node.NodeKind;
import io.vcc.api.node.SpNodeApi;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.support.client.NodeClients;
import io.vcc.support.client.NodeEndpoint;
import io.vcc.support.tls.TlsContexts;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The way the rest of the server talks to nodes: finds the node that serves a cloud and hands out
 * logged-in clients of the node API (seed 002, FIG. 14–16).
 */
@Service
@Transactional(readOnly = true)
public class NodeGateway {

    private static final List<NodeKind> VCC_KINDS = List.of(NodeKind.VCC, NodeKind.MULTI_TENANT_VCC);

    private final Nodes nodes;
    private final SecretCipher cipher;
    private final NodeClients clients;
    private final NodeClients probes;
    /**
     * Clients per node and API: each holds an HTTP client and its login, so they are made once, not per call;
     * made again when the node's secret changed (a rotation, maybe by another server replica).
     */
    private final Map<UUID, NodeClientSet> cache = new ConcurrentHashMap<>();
    private final Map<UUID, NodeClientSet> probeCache = new ConcurrentHashMap<>();

    /** The clients made with one secret of a node. */
    private record NodeClientSet(String secretEncrypted, NodeEndpoint endpoint, Map<Class<?>, Object> apis) {
    }

    NodeGateway(Nodes nodes, SecretCipher cipher, NodeCallSettings settings, TlsContexts tls) {
        this.nodes = nodes;
        this.cipher = cipher;
        this.clients = new NodeClients(settings.connectTimeout(), settings.callTimeout(), tls);
        this.probes = new NodeClients(settings.connectTimeout(), settings.probeTimeout(), tls);
    }

    public NodeView get(UUID nodeId) {
        return node(nodeId).view();
    }

    public List<NodeView> all() {
        return nodes.findAllByOrderByName().stream().map(Node::view).toList();
    }

    /** The VCC node that does a cloud's work, a responding one first; never a revoked one. */
    public NodeView vccNodeFor(UUID cloudId) {
        List<Node> registered = nodes.findByCloudIdAndKindInOrderByName(cloudId, VCC_KINDS);
        return registered.stream()
                .filter(node -> !node.revoked())
                .min(Comparator.comparing(node -> node.status() != NodeState.RUNNING))
                .map(Node::view)
                .orElseThrow(() -> registered.isEmpty()
                        ? new VccProblemException(ProblemType.INVALID_STATE,
                                "No VCC node is registered in cloud " + cloudId + "; install one and register it first")
                        : revoked(registered.get(0)));
    }

    /** The SP node of a multi-tenant cloud, if one is registered and not revoked. */
    public Optional<NodeView> spNodeFor(UUID cloudId) {
        return nodes.findByCloudIdAndKindInOrderByName(cloudId, List.of(NodeKind.SP)).stream()
                .filter(node -> !node.revoked())
                .min(Comparator.comparing(node -> node.status() != NodeState.RUNNING))
                .map(Node::view);
    }

    public NodeApi nodeApi(UUID nodeId) {
        return client(nodeId, NodeApi.class);
    }

    /** The node's datapath API (tag map, tunnel keys, counters). */
    public DatapathApi datapathApi(UUID nodeId) {
        return client(nodeId, DatapathApi.class);
    }

    public SpNodeApi spNodeApi(UUID nodeId) {
        return client(nodeId, SpNodeApi.class);
    }

    /** A logged-in client of one of the node's APIs (node, datapath, SP, transfer…); refused for a revoked node. */
    public <T> T client(UUID nodeId, Class<T> api) {
        NodeClientSet set = clientSet(cache, clients, active(nodeId));
        return api.cast(set.apis().computeIfAbsent(api, type -> clients.client(set.endpoint(), type)));
    }

    private NodeClientSet clientSet(Map<UUID, NodeClientSet> sets, NodeClients maker, Node node) {
        return sets.compute(node.id(), (id, held) -> {
            if (held != null && held.secretEncrypted().equals(node.secretEncrypted())) {
                return held;
            }
            if (held != null) {
                maker.forget(held.endpoint());
            }
            return new NodeClientSet(node.secretEncrypted(), endpoint(node), new ConcurrentHashMap<>());
        });
    }

    /** Encrypts a secret the server hands to nodes (e.g. per-transfer peer credentials) for storage. */
    public String seal(String secret) {
        return cipher.encrypt(secret);
    }

    public String unseal(String sealed) {
        return cipher.decrypt(sealed);
    }

    /** A client with a short timeout, for status polls. */
    NodeApi probe(Node node) {
        NodeClientSet set = clientSet(probeCache, probes, node);
        return (NodeApi) set.apis().computeIfAbsent(NodeApi.class, type -> probes.nodeApi(set.endpoint()));
    }

    void forget(UUID nodeId) {
        NodeClientSet held = cache.remove(nodeId);
        if (held != null) {
            clients.forget(held.endpoint());
        }
        held = probeCache.remove(nodeId);
        if (held != null) {
            probes.forget(held.endpoint());
        }
    }

    /** The node with the given secret, for handing a new one over (see {@link NodeCredentials}). */
    NodeEndpoint endpoint(Node node, String secret) {
        return new NodeEndpoint(node.baseUrl(), node.proxy(), node.username(), secret);
    }

    /** The problem every use of a revoked node answers. */
    static VccProblemException revoked(Node node) {
        return new VccProblemException(ProblemType.NODE_REVOKED, "Node " + node.name() + " was revoked at " + node.revokedAt()
                + " by " + node.revokedBy() + ": the server no longer calls it, so what it hosts cannot be used through vcc. "
                + "Register a new node for its cloud (POST /api/v1/node-registrations)");
    }

    /** The clients' sessions and HTTP settings, for {@link NodeStreams}. */
    NodeClients clients() {
        return clients;
    }

    NodeEndpoint endpoint(UUID nodeId) {
        return endpoint(active(nodeId));
    }

    private Node node(UUID nodeId) {
        return nodes.findById(nodeId).orElseThrow(() -> VccProblemException.notFound("Node", nodeId));
    }

    private Node active(UUID nodeId) {
        Node node = node(nodeId);
        if (node.revoked()) {
            forget(nodeId);
            throw revoked(node);
        }
        return node;
    }

    private NodeEndpoint endpoint(Node node) {
        return new NodeEndpoint(node.baseUrl(), node.proxy(), node.username(), cipher.decrypt(node.secretEncrypted()));
    }
}
