package io.vcc.datapath;

import java.util.Map;

/**
 * Counters of one segment (or, with {@code vni == -1}, of traffic no segment could be named for). Frames
 * and bytes count tenant Ethernet frames as the tenant sees them: no VXLAN header, node tags or tunnel.
 * A frame flooded to three destinations counts three times out.
 */
public record SegmentStats(int vni, String network, long framesFromLocal, long bytesFromLocal,
                           long framesFromTunnel, long bytesFromTunnel, long framesToLocal, long bytesToLocal,
                           long framesToTunnel, long bytesToTunnel, Map<DropReason, Long> dropped) {

    public SegmentStats {
        dropped = Map.copyOf(dropped);
    }

    public long dropped(DropReason reason) {
        return dropped.getOrDefault(reason, 0L);
    }

    public long totalDropped() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }
}
