package io.vcc.node.datapath;

import io.vcc.api.datapath.DatapathState;
import io.vcc.api.datapath.MtuInfo;
import io.vcc.api.datapath.PeerInfo;
import io.vcc.api.datapath.SegmentInfo;
import io.vcc.api.datapath.TrafficCounters;
import io.vcc.datapath.DatapathSnapshot;
import io.vcc.datapath.DropReason;
import io.vcc.datapath.MtuBudget;
import io.vcc.datapath.Peer;
import io.vcc.datapath.PeerKeys;
import io.vcc.datapath.SegmentStats;
import io.vcc.datapath.SegmentView;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The library's snapshot in the API's words: addresses as strings, key ids only, drop reasons by name. */
final class DatapathViews {

    private DatapathViews() {
    }

    static DatapathState running(DatapathSnapshot snapshot, InetSocketAddress advertisedTunnel) {
        Map<String, PeerKeys> keys = new LinkedHashMap<>();
        snapshot.keys().forEach(k -> keys.put(k.nodeId(), k));
        List<PeerInfo> peers = snapshot.tagMap().peers().stream().map(p -> peer(p, keys.get(p.nodeId()))).toList();
        List<SegmentInfo> segments = snapshot.segments().stream().map(DatapathViews::segment).toList();
        return new DatapathState(true, true, snapshot.transport(), snapshot.tagMap().localDatacenterTag(),
                Addresses.format(snapshot.localVtep()), Addresses.format(advertisedTunnel), mtu(snapshot.mtu()),
                segments, peers, counters(snapshot.unassigned()));
    }

    static DatapathState notRunning(boolean enabled, String localVtep, String tunnel, MtuBudget mtu) {
        return new DatapathState(enabled, false, null, null, localVtep, tunnel, mtu == null ? null : mtu(mtu),
                List.of(), List.of(), null);
    }

    private static SegmentInfo segment(SegmentView view) {
        var segment = view.segment();
        return new SegmentInfo(segment.vni(), segment.network(), segment.hostTag(), segment.customerTag(),
                segment.localVteps().stream().map(Addresses::format).toList(), new TreeSet<>(segment.peers()),
                counters(view.stats()), view.learnedMacs());
    }

    private static PeerInfo peer(Peer peer, PeerKeys keys) {
        return new PeerInfo(peer.nodeId(), peer.datacenterTag(), Addresses.format(peer.tunnelAddress()),
                keys == null ? null : keys.currentKeyId(), keys == null ? null : keys.previousKeyId(),
                keys == null ? null : keys.stagedKeyId());
    }

    static TrafficCounters counters(SegmentStats stats) {
        Map<String, Long> dropped = new LinkedHashMap<>();
        for (DropReason reason : DropReason.values()) {
            long count = stats.dropped(reason);
            if (count != 0) {
                dropped.put(reason.name().toLowerCase(), count);
            }
        }
        return new TrafficCounters(stats.framesFromLocal(), stats.bytesFromLocal(), stats.framesFromTunnel(),
                stats.bytesFromTunnel(), stats.framesToLocal(), stats.bytesToLocal(), stats.framesToTunnel(),
                stats.bytesToTunnel(), dropped);
    }

    static MtuInfo mtu(MtuBudget budget) {
        return new MtuInfo(budget.underlayMtu(), budget.tunnelOverheadOctets(), budget.maxTunneledFrame(),
                budget.maxTenantMtu(), budget.maxTenantMtuWithOwnTag());
    }
}
