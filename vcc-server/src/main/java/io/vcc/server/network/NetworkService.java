package io.vcc.server.network;

import io.vcc.api.datapath.DatapathState;
import io.vcc.api.datapath.MtuInfo;
import io.vcc.api.datapath.SegmentInfo;
import io.vcc.api.node.SegmentNodeApi;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.server.cloud.CloudDirectory;
import io.vcc.server.cloud.CloudView;
import io.vcc.server.node.NodeGateway;
import io.vcc.server.node.NodeRestarted;
import io.vcc.server.node.NodeView;
import io.vcc.server.security.CurrentUser;
import io.vcc.server.tenant.TenantDirectory;
import io.vcc.server.tenant.TenantView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * Tenant networks: allocate in the database ({@link NetworkLedger}), then program the nodes
 * ({@link NodeProgrammer}). When the nodes cannot be programmed the allocation is undone, so that neither
 * side keeps half a network; when a network goes, the nodes are unprogrammed first and the tags released.
 */
@Service
public class NetworkService {

    private static final Logger log = LoggerFactory.getLogger(NetworkService.class);

    /** A cloud to span: the VTEPs of that cloud that carry the tenant's VLAN. */
    record CloudRequest(UUID cloudId, List<String> localVteps) {
    }

    /** One node's side of a network, read live: its tunnel and the network's segment with its counters. */
    public record SpanTraffic(UUID cloudId, UUID nodeId, int vni, String tunnel, String localVtep, MtuInfo mtu,
                              SegmentInfo segment) {
    }

    private final NetworkLedger ledger;
    private final NodeProgrammer programmer;
    private final TenantDirectory tenants;
    private final CloudDirectory clouds;
    private final NodeGateway nodes;
    private final VtepPolicy vteps;
    private final NetworkProperties properties;

    NetworkService(NetworkLedger ledger, NodeProgrammer programmer, TenantDirectory tenants, CloudDirectory clouds,
                   NodeGateway nodes, VtepPolicy vteps, NetworkProperties properties) {
        this.ledger = ledger;
        this.programmer = programmer;
        this.tenants = tenants;
        this.clouds = clouds;
        this.nodes = nodes;
        this.vteps = vteps;
        this.properties = properties;
    }

    NetworkView create(UUID tenantId, String name, int vlanId, Integer mtu, List<CloudRequest> spans) {
        TenantView tenant = tenants.visible(tenantId);
        if (new HashSet<>(spans.stream().map(CloudRequest::cloudId).toList()).size() != spans.size()) {
            throw new VccProblemException(ProblemType.VALIDATION, "A cloud appears more than once in clouds");
        }
        Map<String, String> refused = new LinkedHashMap<>();
        List<NetworkLedger.NewSpan> resolved = new ArrayList<>();
        for (int i = 0; i < spans.size(); i++) {
            resolved.add(resolve(spans.get(i), "clouds[" + i + "].localVteps", refused));
        }
        if (!refused.isEmpty()) {
            throw VccProblemException.invalidFields(refused);
        }
        int quota = tenant.networkQuota() != null ? tenant.networkQuota() : properties.tenantQuota();
        NetworkView network = ledger.create(tenant.id(), tenant.name(), quota, name, vlanId,
                mtu != null ? mtu : properties.defaultMtu(), resolved);
        try {
            programmer.program(network, label(tenant, network));
        } catch (RuntimeException e) {
            log.warn("Network {}/{} could not be programmed into its nodes; undoing it: {}", tenant.name(), name, e.getMessage());
            undo(ledger.delete(network.id(), null));
            throw e;
        }
        return network;
    }

    NetworkView extend(UUID networkId, CloudRequest span) {
        UUID scope = CurrentUser.tenantScope();
        TenantView tenant = tenants.visible(ledger.get(networkId, scope).tenantId());
        Map<String, String> refused = new LinkedHashMap<>();
        NetworkLedger.NewSpan resolved = resolve(span, "localVteps", refused);
        if (!refused.isEmpty()) {
            throw VccProblemException.invalidFields(refused);
        }
        NetworkView network = ledger.extend(networkId, scope, resolved);
        try {
            programmer.program(network, label(tenant, network));
        } catch (RuntimeException e) {
            log.warn("Network {} could not be extended into cloud {}; undoing it: {}", networkId, span.cloudId(), e.getMessage());
            NetworkLedger.Release release = ledger.retract(networkId, null, span.cloudId());
            undo(release);
            reprogramQuietly(ledger.get(networkId, null), label(tenant, network));
            throw e;
        }
        return network;
    }

    NetworkView retract(UUID networkId, UUID cloudId) {
        UUID scope = CurrentUser.tenantScope();
        TenantView tenant = tenants.visible(ledger.get(networkId, scope).tenantId());
        NetworkLedger.Release release = ledger.retract(networkId, scope, cloudId);
        undo(release);
        NetworkView network = ledger.get(networkId, scope);
        programmer.program(network, label(tenant, network));
        return network;
    }

    void delete(UUID networkId) {
        undo(ledger.delete(networkId, CurrentUser.tenantScope()));
    }

    NetworkView get(UUID networkId) {
        return ledger.get(networkId, CurrentUser.tenantScope());
    }

    List<NetworkView> list(UUID tenantId) {
        return ledger.list(CurrentUser.tenantScope(), tenantId);
    }

    /** Programs the network again, which also re-keys pairs whose nodes lost their key (e.g. restarted). */
    NetworkView sync(UUID networkId) {
        NetworkView network = ledger.get(networkId, CurrentUser.tenantScope());
        programmer.program(network, label(tenants.visible(network.tenantId()), network));
        return network;
    }

    /**
     * A restarted node lost its tag map and tunnel keys (they live in memory only): program every network
     * that spans it again, which also gives it and its peers fresh keys. Runs on the status poller's
     * thread, with no caller; a network that fails here is tried again at the node's next restart or sync.
     */
    @EventListener
    void nodeRestarted(NodeRestarted event) {
        for (NetworkView listed : ledger.list(null, null)) {
            if (!spans(listed, event.nodeId())) {
                continue;
            }
            // Read again just before programming: the list is as old as the calls for the networks before this one,
            // and programming a network deleted or retracted meanwhile would put its segment back on the nodes.
            NetworkView network = current(listed.id());
            if (network == null || !spans(network, event.nodeId())) {
                continue;
            }
            String label = tenants.nameForSystem(network.tenantId()) + "/" + network.name();
            try {
                programmer.program(network, label);
                log.info("Network {} programmed again after node {} restarted", label, event.name());
            } catch (RuntimeException e) {
                log.warn("Network {} could not be programmed again after node {} restarted: {}", label, event.name(), e.getMessage());
            }
        }
    }

    private static boolean spans(NetworkView network, UUID nodeId) {
        return network.clouds().stream().anyMatch(span -> span.nodeId().equals(nodeId));
    }

    private NetworkView current(UUID networkId) {
        try {
            return ledger.get(networkId, null);
        } catch (VccProblemException e) {
            if (e.type() == ProblemType.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    /** Rotates the key of every node pair the network spans; pairs are shared by networks, so admins only. */
    List<PairKey> rotateKeys(UUID networkId) {
        NetworkView network = ledger.get(networkId, null);
        List<PairKey> rotated = new ArrayList<>();
        List<NetworkView.Span> spans = network.clouds();
        for (int i = 0; i < spans.size(); i++) {
            for (int j = i + 1; j < spans.size(); j++) {
                int keyId = programmer.rotate(spans.get(i), spans.get(j));
                rotated.add(new PairKey(spans.get(i).nodeId(), spans.get(j).nodeId(), keyId));
            }
        }
        return rotated;
    }

    /** The nodes' live view of the network; a tenant sees its own segment, never another's. */
    List<SpanTraffic> traffic(UUID networkId) {
        NetworkView network = ledger.get(networkId, CurrentUser.tenantScope());
        return network.clouds().stream().map(span -> {
            DatapathState state = programmer.state(span.nodeId());
            return new SpanTraffic(span.cloudId(), span.nodeId(), span.vni(), state.tunnel(), state.localVtep(),
                    state.mtu(), state.segment(span.vni()));
        }).toList();
    }

    public record PairKey(UUID nodeA, UUID nodeB, int keyId) {
    }

    /**
     * The cloud's node for the span, with the span's VTEPs checked against what the cloud allows and the
     * node's own addresses as its datapath reports them now; refusals go to {@code refused}.
     */
    private NetworkLedger.NewSpan resolve(CloudRequest span, String field, Map<String, String> refused) {
        CloudView cloud = clouds.get(span.cloudId());
        NodeView node = nodes.vccNodeFor(cloud.id());
        if (span.localVteps() == null || span.localVteps().isEmpty()) {
            // The node knows where its hypervisor's VXLAN comes from; nobody types it.
            return new NetworkLedger.NewSpan(cloud.id(), node.id(), nodeVteps(node.id()));
        }
        refused.putAll(vteps.check(field, cloud, node, programmer.state(node.id()), span.localVteps()));
        return new NetworkLedger.NewSpan(cloud.id(), node.id(), span.localVteps());
    }

    private List<String> nodeVteps(UUID nodeId) {
        return nodes.client(nodeId, SegmentNodeApi.class).segments().vteps();
    }

    // ---- for workflows (stretch deploy): no caller, the run checked the tenant when it was asked for -----------

    /** The tenant network whose segment in {@code cloudId} is at local VNI {@code vni}, if any. */
    public Optional<NetworkView> onSegment(UUID cloudId, int vni) {
        return ledger.list(null, null).stream()
                .filter(network -> network.clouds().stream().anyMatch(span -> span.cloudId().equals(cloudId) && span.vni() == vni))
                .findFirst();
    }

    public NetworkView network(UUID networkId) {
        return ledger.get(networkId, null);
    }

    /**
     * Makes the network span {@code cloudId} with the node's own VTEPs and programs every node of it (again,
     * when it spans the cloud already, which is how a step that runs twice converges). Answers whether it
     * extended the network, i.e. whether the caller is the one to retract it.
     */
    public boolean extendInto(UUID networkId, UUID cloudId) {
        NetworkView before = ledger.get(networkId, null);
        String label = tenants.nameForSystem(before.tenantId()) + "/" + before.name();
        if (before.clouds().stream().anyMatch(span -> span.cloudId().equals(cloudId))) {
            programmer.program(before, label);
            return false;
        }
        NodeView node = nodes.vccNodeFor(cloudId);
        NetworkView network;
        try {
            network = ledger.extend(networkId, null, new NetworkLedger.NewSpan(cloudId, node.id(), nodeVteps(node.id())));
        } catch (VccProblemException e) {
            if (e.type() != ProblemType.DUPLICATE) {
                throw e;
            }
            // Another stretch into the cloud extended it meanwhile: that one is the extension's owner.
            programmer.program(ledger.get(networkId, null), label);
            return false;
        }
        try {
            programmer.program(network, label);
        } catch (RuntimeException e) {
            undo(ledger.retract(networkId, null, cloudId));
            reprogramQuietly(ledger.get(networkId, null), label);
            throw e;
        }
        return true;
    }

    /** Takes the network out of {@code cloudId} (nothing when it does not span it) and programs the rest. */
    public void retractFrom(UUID networkId, UUID cloudId) {
        NetworkView before = ledger.get(networkId, null);
        if (before.clouds().stream().noneMatch(span -> span.cloudId().equals(cloudId))) {
            return;
        }
        undo(ledger.retract(networkId, null, cloudId));
        programmer.program(ledger.get(networkId, null), tenants.nameForSystem(before.tenantId()) + "/" + before.name());
    }

    /** The datapath of the node, as it reports itself (to check it is reachable and its MTU budget). */
    public DatapathState datapath(UUID nodeId) {
        return programmer.state(nodeId);
    }

    private void undo(NetworkLedger.Release release) {
        release.removed().forEach(programmer::removeSegment);
        release.unusedPairs().forEach(programmer::disconnect);
    }

    private void reprogramQuietly(NetworkView network, String label) {
        try {
            programmer.program(network, label);
        } catch (RuntimeException e) {
            log.warn("Network {} could not be programmed again after a failed extension: {}", network.id(), e.getMessage());
        }
    }

    private static String label(TenantView tenant, NetworkView network) {
        return tenant.name() + "/" + network.name();
    }
}
