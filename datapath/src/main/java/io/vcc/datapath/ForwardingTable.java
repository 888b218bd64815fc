package io.vcc.datapath;

import io.netty.util.collection.IntObjectHashMap;
import java.util.Map;

/**
 * The compiled, immutable form of the tag map that every frame reads through one volatile load: segments
 * by VNI and by (host tag, customer tag), peers by datacenter tag. Primitive-keyed maps, so that a lookup
 * never boxes. A change builds a new table and swaps it in whole.
 */
final class ForwardingTable {

    static final ForwardingTable EMPTY = new ForwardingTable(new IntObjectHashMap<>(), new IntObjectHashMap<>(),
            new PeerState[4096], Map.of());

    private final IntObjectHashMap<SegmentState> byVni;
    private final IntObjectHashMap<SegmentState> byTags;
    private final PeerState[] byDatacenterTag;
    final Map<String, PeerState> peersById;

    ForwardingTable(IntObjectHashMap<SegmentState> byVni, IntObjectHashMap<SegmentState> byTags,
                    PeerState[] byDatacenterTag, Map<String, PeerState> peersById) {
        this.byVni = byVni;
        this.byTags = byTags;
        this.byDatacenterTag = byDatacenterTag;
        this.peersById = peersById;
    }

    static int tagsKey(int hostTag, int customerTag) {
        return (hostTag << 12) | customerTag;
    }

    SegmentState segmentByVni(int vni) {
        return byVni.get(vni);
    }

    SegmentState segmentByTags(int hostTag, int customerTag) {
        return byTags.get(tagsKey(hostTag, customerTag));
    }

    PeerState peerByDatacenterTag(int tag) {
        return tag >= 0 && tag < byDatacenterTag.length ? byDatacenterTag[tag] : null;
    }

    Iterable<SegmentState> segments() {
        return byVni.values();
    }
}
