package io.vcc.api.datapath;

import java.util.Map;

/**
 * Counters of one segment. Frames and bytes are tenant Ethernet frames as the tenant sees them; a frame
 * flooded to three destinations counts three times out.
 *
 * @param dropped drop reason (lower case, e.g. {@code unknown_segment}) to frames
 */
public record TrafficCounters(long framesFromLocal, long bytesFromLocal, long framesFromTunnel, long bytesFromTunnel,
                              long framesToLocal, long bytesToLocal, long framesToTunnel, long bytesToTunnel,
                              Map<String, Long> dropped) {

    public TrafficCounters {
        dropped = dropped == null ? Map.of() : Map.copyOf(dropped);
    }
}
