package io.vcc.server.node;

import io.vcc.api.datapath.DatapathApi;
import io.vcc.api.node.NodeApi;
import io.vcc.api.node.NodeKind;
import io.vcc.api.node.SpNodeApi;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.support.client.NodeClients;
import io.vcc.support.client.NodeEndpoint;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.env.Environment;
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
    private final Map<UUID, Object> cache = new ConcurrentHashMap<>();
    private final Map<UUID, Object> datapathCache = new ConcurrentHashMap<>();

    NodeGateway(Nodes nodes, SecretCipher cipher, Environment environment) {
        this.nodes = nodes;
        this.cipher = cipher;
        Duration connect = environment.getProperty("vcc.nodes.connect-timeout", Duration.class, Duration.ofSeconds(2));
        this.clients = new NodeClients(connect, environment.getProperty("vcc.nodes.call-timeout", Duration.class, Duration.ofSeconds(60)));
        this.probes = new NodeClients(connect, environment.getProperty("vcc.nodes.probe-timeout", Duration.class, Duration.ofSeconds(3)));
    }

    public NodeView get(UUID nodeId) {
        return node(nodeId).view();
    }

    public List<NodeView> all() {
        return nodes.findAllByOrderByName().stream().map(Node::view).toList();
    }

    /** The VCC node that does a cloud's work, a responding one first. */
    public NodeView vccNodeFor(UUID cloudId) {
        return nodes.findByCloudIdAndKindInOrderByName(cloudId, VCC_KINDS).stream()
                .min(Comparator.comparing(node -> node.status() != NodeState.RUNNING))
                .map(Node::view)
                .orElseThrow(() -> new VccProblemException(ProblemType.INVALID_STATE,
                        "No VCC node is registered in cloud " + cloudId + "; install one and register it first"));
    }

    /** The SP node of a multi-tenant cloud, if one is registered. */
    public Optional<NodeView> spNodeFor(UUID cloudId) {
        return nodes.findByCloudIdAndKindInOrderByName(cloudId, List.of(NodeKind.SP)).stream()
                .min(Comparator.comparing(node -> node.status() != NodeState.RUNNING))
                .map(Node::view);
    }

    public NodeApi nodeApi(UUID nodeId) {
        return (NodeApi) cache.computeIfAbsent(nodeId, id -> clients.nodeApi(endpoint(node(id))));
    }

    /** The node's datapath API (tag map, tunnel keys, counters), logged in like {@link #nodeApi}. */
    public DatapathApi datapathApi(UUID nodeId) {
        return (DatapathApi) datapathCache.computeIfAbsent(nodeId, id -> clients.client(endpoint(node(id)), DatapathApi.class));
    }

    public SpNodeApi spNodeApi(UUID nodeId) {
        return clients.client(endpoint(node(nodeId)), SpNodeApi.class);
    }

    /** A client of another node API of the node (e.g. its transfer API), logged in like {@link #nodeApi}. */
    public <T> T client(UUID nodeId, Class<T> api) {
        return clients.client(endpoint(node(nodeId)), api);
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
        return probes.nodeApi(endpoint(node));
    }

    void forget(UUID nodeId) {
        cache.remove(nodeId);
        datapathCache.remove(nodeId);
    }

    private Node node(UUID nodeId) {
        return nodes.findById(nodeId).orElseThrow(() -> VccProblemException.notFound("Node", nodeId));
    }

    private NodeEndpoint endpoint(Node node) {
        return new NodeEndpoint(node.baseUrl(), node.proxy(), node.username(), cipher.decrypt(node.secretEncrypted()));
    }
}
