package io.vcc.api.datapath;

import java.util.List;
import java.util.Set;

/** A programmed segment with what it counted and how many MAC addresses it has learned. */
public record SegmentInfo(int vni, String network, int hostTag, int customerTag, List<String> localVteps,
                          Set<String> peers, TrafficCounters counters, int learnedMacs) {
}
