package io.vcc.api.datapath;

import java.util.List;

/**
 * A node's datapath as {@code GET /node/v1/datapath} shows it.
 *
 * @param enabled       whether the node runs a datapath at all ({@code vcc.datapath.enabled})
 * @param running       whether it has been set up and listens; before that only the configured addresses show
 * @param transport     {@code epoll} or {@code nio}, while running
 * @param datacenterTag this node's datacenter tag, once set up
 * @param localVtep     {@code host:port} where the local cloud's VTEPs send VXLAN
 * @param tunnel        {@code host:port} where peers send the tunnel: what the server tells the peers
 * @param unassigned    counters of traffic no segment could be named for
 */
public record DatapathState(boolean enabled, boolean running, String transport, Integer datacenterTag,
                            String localVtep, String tunnel, MtuInfo mtu, List<SegmentInfo> segments,
                            List<PeerInfo> peers, TrafficCounters unassigned) {

    public DatapathState {
        segments = segments == null ? List.of() : List.copyOf(segments);
        peers = peers == null ? List.of() : List.copyOf(peers);
    }

    public SegmentInfo segment(int vni) {
        return segments.stream().filter(s -> s.vni() == vni).findFirst().orElse(null);
    }

    public PeerInfo peer(String nodeId) {
        return peers.stream().filter(p -> p.nodeId().equals(nodeId)).findFirst().orElse(null);
    }
}
