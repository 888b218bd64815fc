package io.vcc.server.stretch;

import io.vcc.api.node.SegmentNetworkInfo;
import io.vcc.api.node.SegmentNetworkSpec;
import io.vcc.api.node.SegmentNodeApi;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.server.network.NetworkService;
import io.vcc.server.network.NetworkView;
import io.vcc.server.node.NodeGateway;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The tenant network in the cloud a stretch deploy moves a VM into: the network's span there and a routed VDC network
 * on its segment like the source's, brought in by the infrastructure step and taken out by its compensation or by a
 * reverse, but never while another stretch or a VM there relies on them.
 */
@Component
class StretchTargetNetwork {

    private static final Logger log = LoggerFactory.getLogger(StretchTargetNetwork.class);

    /** The tenant network's name and its segment's local VNI in the target cloud. */
    record InTarget(String network, int vni) {
    }

    private final NodeGateway nodes;
    private final NetworkService networks;
    private final StretchDeploys deploys;

    StretchTargetNetwork(NodeGateway nodes, NetworkService networks, StretchDeploys deploys) {
        this.nodes = nodes;
        this.networks = networks;
        this.deploys = deploys;
    }

    /** Extends the network into the target cloud (again, when it is there) and puts the VDC network on its segment. */
    InTarget bringIn(StretchParams p) {
        networks.extendInto(p.networkId(), p.targetCloudId());
        NetworkView network = networks.network(p.networkId());
        int vni = network.clouds().stream().filter(span -> span.cloudId().equals(p.targetCloudId())).findFirst().orElseThrow().vni();
        SegmentNetworkInfo source = segments(p.sourceNodeId()).segmentNetworks(p.sourceRemoteVdcId()).stream()
                .filter(n -> n.name().equals(p.networkName())).findFirst()
                .orElseThrow(() -> new VccProblemException(ProblemType.STRETCH_REFUSED, "The source VDC's network " + p.networkName() + " is gone"));
        segments(p.targetNodeId()).putSegmentNetwork(p.targetRemoteVdcId(), p.networkName(),
                new SegmentNetworkSpec(source.cidr(), source.gateway(), vni, source.rules(), network.mtu()));
        return new InTarget(network.name(), vni);
    }

    /**
     * Takes out what run {@code runId} brought into the target cloud, unless something else relies on it by now:
     * another stretch of the network into that cloud still under way (it found the network there, made by this run,
     * and counts on it), or a VM on the segment there. Leaving an unused span is the lesser harm; taking a used
     * one away would cut a running VM off its network.
     */
    void dismantle(StretchParams p, UUID runId) {
        if (p.targetNetworkExisted() && p.networkSpannedTarget()) {
            return;
        }
        if (inUse(networks.network(p.networkId()), p.targetCloudId(), p.targetNodeId(), runId)) {
            log.info("Stretch {}: network {} stays in the target cloud, another stretch or VM there uses it", runId, p.networkName());
            return;
        }
        if (!p.targetNetworkExisted()) {
            segments(p.targetNodeId()).removeSegmentNetwork(p.targetRemoteVdcId(), p.networkName());
        }
        if (!p.networkSpannedTarget()) {
            networks.retractFrom(p.networkId(), p.targetCloudId());
        }
    }

    /**
     * A reverse: the network leaves the cloud the VM came back from, unless a VM of the tenant is still on it there
     * or another stretch into that cloud is under way. Answers whether it left.
     */
    boolean retract(StretchParams p, UUID runId) {
        NetworkView network = networks.network(p.networkId());
        if (network.clouds().stream().noneMatch(span -> span.cloudId().equals(p.retractFromCloud()))
                || inUse(network, p.retractFromCloud(), p.retractFromNodeId(), runId)) {
            return false;
        }
        segments(p.retractFromNodeId()).removeSegmentNetwork(p.retractFromVdcRemoteId(), p.networkName());
        networks.retractFrom(p.networkId(), p.retractFromCloud());
        return true;
    }

    /** Whether another stretch of the network into the cloud is under way, or a VM is on its segment there. */
    private boolean inUse(NetworkView network, UUID cloudId, UUID nodeId, UUID runId) {
        return deploys.othersUnderway(network.id(), cloudId, runId)
                || network.clouds().stream().filter(span -> span.cloudId().equals(cloudId))
                        .anyMatch(span -> !segments(nodeId).segments().on(span.vni()).isEmpty());
    }

    private SegmentNodeApi segments(UUID nodeId) {
        return nodes.client(nodeId, SegmentNodeApi.class);
    }
}
