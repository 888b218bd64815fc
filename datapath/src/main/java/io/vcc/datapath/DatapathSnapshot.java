package io.vcc.datapath;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Everything a {@code GET} of the node's datapath shows: where it listens, the programmed map, the keys it
 * holds (ids only), the MTU budget, and per-segment counters.
 *
 * @param unassigned counters of traffic that could not be put on a segment (bad VXLAN, unknown VNI,
 *                   tunnel datagrams that failed authentication, ...)
 */
public record DatapathSnapshot(String transport, int eventLoops, InetSocketAddress localVtep, InetSocketAddress tunnel,
                               TagMapSnapshot tagMap, List<PeerKeys> keys, MtuBudget mtu, List<SegmentView> segments,
                               SegmentStats unassigned) {

    public DatapathSnapshot {
        keys = List.copyOf(keys);
        segments = List.copyOf(segments);
    }

    public SegmentView segment(int vni) {
        return segments.stream().filter(s -> s.segment().vni() == vni).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no segment with VNI " + vni));
    }
}
