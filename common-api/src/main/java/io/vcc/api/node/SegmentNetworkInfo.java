package io.vcc.api.node;

import java.util.List;

/** A VDC network backed by a segment (see {@link SegmentNetworkSpec}), as the node keeps it. */
public record SegmentNetworkInfo(String vdcId, String name, String cidr, String gateway, int vni, List<EdgeRule> rules, int mtu) {

    public SegmentNetworkInfo {
        rules = rules == null ? List.of() : List.copyOf(rules);
    }
}
