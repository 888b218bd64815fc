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
    /** Clients per node and API: each holds an HTTP client and its login, so they are made once, not per call. */
    private final Map<UUID, Map<Class<?>, Object>> cache = new ConcurrentHashMap<>();
    private final Map<UUID, NodeApi> probeCache = new ConcurrentHashMap<>();

    NodeGateway(Nodes nodes, SecretCipher cipher, Environment environment, TlsContexts tls) {
        this.nodes = nodes;
        this.cipher = cipher;
        Duration connect = environment.getProperty("vcc.nodes.connect-timeout", Duration.class, Duration.ofSeconds(2));
        this.clients = new NodeClients(connect, environment.getProperty("vcc.nodes.call-timeout", Duration.class, Duration.ofSeconds(60)), tls);
        this.probes = new NodeClients(connect, environment.getProperty("vcc.nodes.probe-timeout", Duration.class, Duration.ofSeconds(3)), tls);
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
        return client(nodeId, NodeApi.class);
    }

    /** The node's datapath API (tag map, tunnel keys, counters). */
    public DatapathApi datapathApi(UUID nodeId) {
        return client(nodeId, DatapathApi.class);
    }

    public SpNodeApi spNodeApi(UUID nodeId) {
        return client(nodeId, SpNodeApi.class);
    }

    /** A logged-in client of one of the node's APIs (node, datapath, SP, transfer…). */
    public <T> T client(UUID nodeId, Class<T> api) {
        return api.cast(cache.computeIfAbsent(nodeId, id -> new ConcurrentHashMap<>())
                .computeIfAbsent(api, type -> clients.client(endpoint(node(nodeId)), type)));
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
        return probeCache.computeIfAbsent(node.id(), id -> probes.nodeApi(endpoint(node)));
    }

    void forget(UUID nodeId) {
        cache.remove(nodeId);
        probeCache.remove(nodeId);
    }

    /** The clients' sessions and HTTP settings, for {@link NodeStreams}. */
    NodeClients clients() {
        return clients;
    }

    NodeEndpoint endpoint(UUID nodeId) {
        return endpoint(node(nodeId));
    }

    private Node node(UUID nodeId) {
        return nodes.findById(nodeId).orElseThrow(() -> VccProblemException.notFound("Node", nodeId));
    }

    private NodeEndpoint endpoint(Node node) {
        return new NodeEndpoint(node.baseUrl(), node.proxy(), node.username(), cipher.decrypt(node.secretEncrypted()));
    }
}
