package io.vcc.server.network;

import io.vcc.api.datapath.DatapathApi;
import io.vcc.api.datapath.DatapathSetup;
import io.vcc.api.datapath.DatapathState;
import io.vcc.api.datapath.KeySpec;
import io.vcc.api.datapath.PeerInfo;
import io.vcc.api.datapath.PeerSpec;
import io.vcc.api.datapath.SegmentSpec;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.server.node.NodeGateway;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Puts a network's allocations into its nodes' datapaths through the node API. Programming is idempotent
 * and converges: it sends the whole desired state of the network (datacenter tags, peers, keys, segments)
 * and re-keys a pair only when one of its nodes does not hold the pair's current key, e.g. after a restart.
 */
@Component
class NodeProgrammer {

    private static final Logger log = LoggerFactory.getLogger(NodeProgrammer.class);

    private final NodeGateway nodes;
    private final NetworkLedger ledger;
    private final PairKeys keys;

    NodeProgrammer(NodeGateway nodes, NetworkLedger ledger, PairKeys keys) {
        this.nodes = nodes;
        this.ledger = ledger;
        this.keys = keys;
    }

    /**
     * Datacenter tags first (they start the datapaths), then peers and keys, then the segments. Refused before the
     * peers when a datapath cannot carry the network's MTU.
     */
    void program(NetworkView network, String label) {
        Map<UUID, DatapathState> states = new HashMap<>();
        for (NetworkView.Span span : network.clouds()) {
            DatapathState state = api(span.nodeId()).setup(new DatapathSetup(span.datacenterTag()));
            if (state.tunnel() == null) {
                throw new VccProblemException(ProblemType.NODE_ERROR, "Node " + span.nodeId() + " reports no tunnel address");
            }
            if (!network.fitsIn(state.mtu())) {
                throw new VccProblemException(ProblemType.MTU_TOO_LARGE, "Network " + label + " has MTU " + network.mtu()
                        + ", but the datapath in cloud " + span.cloudId() + " carries a VM MTU of " + state.mtu().maxTenantMtu()
                        + " at most; use a network with an MTU no larger, or give that cloud's node a larger vcc.datapath.tunnel-mtu");
            }
            states.put(span.nodeId(), state);
        }
        List<NetworkView.Span> spans = network.clouds();
        for (int i = 0; i < spans.size(); i++) {
            for (int j = i + 1; j < spans.size(); j++) {
                connect(spans.get(i), states.get(spans.get(i).nodeId()), spans.get(j), states.get(spans.get(j).nodeId()));
            }
        }
        for (NetworkView.Span span : spans) {
            Set<String> peers = spans.stream().map(NetworkView.Span::nodeId).filter(id -> !id.equals(span.nodeId()))
                    .map(UUID::toString).collect(Collectors.toSet());
            api(span.nodeId()).putSegment(span.vni(), new SegmentSpec(label, network.hostTag(), network.customerTag(),
                    span.localVteps(), peers));
        }
    }

    /** Removes a segment from its node; a node that cannot be reached is logged, not fatal: its map is volatile. */
    void removeSegment(NetworkView.Span span) {
        bestEffort("remove segment " + span.vni() + " from node " + span.nodeId(), () -> api(span.nodeId()).removeSegment(span.vni()));
    }

    /** Makes two nodes forget each other once no network needs their tunnel. */
    void disconnect(TunnelPair.Key pair) {
        bestEffort("drop peer " + pair.nodeB() + " on node " + pair.nodeA(), () -> api(pair.nodeA()).removePeer(pair.nodeB().toString()));
        bestEffort("drop peer " + pair.nodeA() + " on node " + pair.nodeB(), () -> api(pair.nodeB()).removePeer(pair.nodeA().toString()));
    }

    /**
     * Replaces the pair's key without losing a frame: both nodes accept the new key before either sends
     * with it, and both send with it before either stops accepting the old one.
     */
    int rotate(NetworkView.Span one, NetworkView.Span other) {
        int keyId = ledger.nextKeyId(one.nodeId(), other.nodeId());
        KeySpec staged = keys.generate(keyId, KeySpec.Use.STAGED);
        KeySpec active = new KeySpec(keyId, staged.secret(), KeySpec.Use.ACTIVE);
        String oneId = one.nodeId().toString();
        String otherId = other.nodeId().toString();
        api(one.nodeId()).putKey(otherId, keyId, staged);
        api(other.nodeId()).putKey(oneId, keyId, staged);
        api(one.nodeId()).putKey(otherId, keyId, active);
        api(other.nodeId()).putKey(oneId, keyId, active);
        api(one.nodeId()).retirePreviousKey(otherId);
        api(other.nodeId()).retirePreviousKey(oneId);
        return keyId;
    }

    DatapathState state(UUID nodeId) {
        return api(nodeId).state();
    }

    private void connect(NetworkView.Span a, DatapathState stateA, NetworkView.Span b, DatapathState stateB) {
        int current = ledger.keyId(a.nodeId(), b.nodeId());
        boolean keyed = current != 0 && holds(stateA, b.nodeId(), current) && holds(stateB, a.nodeId(), current);
        KeySpec key = keyed ? null : keys.generate(ledger.nextKeyId(a.nodeId(), b.nodeId()), KeySpec.Use.ACTIVE);
        api(a.nodeId()).putPeer(b.nodeId().toString(), new PeerSpec(b.datacenterTag(), stateB.tunnel(), key));
        api(b.nodeId()).putPeer(a.nodeId().toString(), new PeerSpec(a.datacenterTag(), stateA.tunnel(), key));
    }

    private static boolean holds(DatapathState state, UUID peer, int keyId) {
        PeerInfo info = state.peer(peer.toString());
        return info != null && Objects.equals(info.currentKeyId(), keyId);
    }

    private DatapathApi api(UUID nodeId) {
        return nodes.datapathApi(nodeId);
    }

    private static void bestEffort(String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("Could not {}: {}; it goes when the node restarts or the network is programmed again", what, e.getMessage());
        }
    }
}
