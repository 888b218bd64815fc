package io.vcc.datapath;

import io.netty.util.collection.IntObjectHashMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The node's tag map, programmed live by the server: per tenant network a {@link Segment} (local VNI to host
 * and customer tag), per peer node a {@link Peer} (datacenter tag to address; keys in {@link TunnelKeys}).
 *
 * <p>Every change is validated whole, compiled into a new {@link ForwardingTable} and swapped in with one
 * volatile write. Frames in flight finish on the table they started with; segments the change does not
 * touch keep their state object, their learned MAC addresses and their counters, so their traffic does
 * not notice. Changes are serialised; reads never wait for them.
 */
public final class TagMap {

    private final int localDatacenterTag;
    private final DatapathCounters counters;
    private final TunnelKeys keys;
    private final int macTableLimit;
    private final long macAgeingNanos;
    private final Map<Integer, Segment> segments = new LinkedHashMap<>();
    private final Map<String, Peer> peers = new LinkedHashMap<>();
    private volatile ForwardingTable table = ForwardingTable.EMPTY;

    TagMap(DatapathConfig config, DatapathCounters counters, TunnelKeys keys) {
        this.localDatacenterTag = config.datacenterTag();
        this.counters = counters;
        this.keys = keys;
        this.macTableLimit = config.macTableLimit();
        this.macAgeingNanos = config.macAgeing().toNanos();
    }

    /** Adds the segment, or replaces the one with the same VNI. */
    public synchronized void putSegment(Segment segment) {
        Map<Integer, Segment> next = new LinkedHashMap<>(segments);
        next.put(segment.vni(), segment);
        apply(next, peers);
    }

    /** @return whether there was a segment with that VNI */
    public synchronized boolean removeSegment(int vni) {
        if (!segments.containsKey(vni)) {
            return false;
        }
        Map<Integer, Segment> next = new LinkedHashMap<>(segments);
        next.remove(vni);
        apply(next, peers);
        return true;
    }

    /** Adds the peer, or replaces the one with the same node id. */
    public synchronized void putPeer(Peer peer) {
        Map<String, Peer> next = new LinkedHashMap<>(peers);
        next.put(peer.nodeId(), peer);
        apply(segments, next);
    }

    /** @return whether there was a peer with that node id */
    public synchronized boolean removePeer(String nodeId) {
        if (!peers.containsKey(nodeId)) {
            return false;
        }
        Map<String, Peer> next = new LinkedHashMap<>(peers);
        next.remove(nodeId);
        apply(segments, next);
        return true;
    }

    /** Replaces the whole map at once, as after a restart or a full resync from the server. */
    public synchronized void replace(TagMapSnapshot desired) {
        if (desired.localDatacenterTag() != localDatacenterTag) {
            throw new IllegalArgumentException("this node's datacenter tag is " + localDatacenterTag + ", not "
                    + desired.localDatacenterTag());
        }
        Map<Integer, Segment> nextSegments = new LinkedHashMap<>();
        for (Segment segment : desired.segments()) {
            if (nextSegments.put(segment.vni(), segment) != null) {
                throw new IllegalArgumentException("VNI " + segment.vni() + " appears twice");
            }
        }
        Map<String, Peer> nextPeers = new LinkedHashMap<>();
        for (Peer peer : desired.peers()) {
            if (nextPeers.put(peer.nodeId(), peer) != null) {
                throw new IllegalArgumentException("peer " + peer.nodeId() + " appears twice");
            }
        }
        apply(nextSegments, nextPeers);
    }

    public synchronized TagMapSnapshot snapshot() {
        return new TagMapSnapshot(localDatacenterTag, new ArrayList<>(segments.values()), new ArrayList<>(peers.values()));
    }

    public int localDatacenterTag() {
        return localDatacenterTag;
    }

    ForwardingTable table() {
        return table;
    }

    private void apply(Map<Integer, Segment> nextSegments, Map<String, Peer> nextPeers) {
        validate(nextSegments, nextPeers);
        ForwardingTable old = table;
        PeerState[] byDatacenterTag = new PeerState[4096];
        Map<String, PeerState> peersById = new HashMap<>();
        for (Peer peer : nextPeers.values()) {
            PeerState previous = old.peersById.get(peer.nodeId());
            PeerState state = previous != null && previous.peer.equals(peer) ? previous
                    : new PeerState(peer, keys.ring(peer.nodeId()));
            byDatacenterTag[peer.datacenterTag()] = state;
            peersById.put(peer.nodeId(), state);
        }
        IntObjectHashMap<SegmentState> byVni = new IntObjectHashMap<>();
        IntObjectHashMap<SegmentState> byTags = new IntObjectHashMap<>();
        for (Segment segment : nextSegments.values()) {
            PeerState[] spanned = segment.peers().stream().sorted().map(peersById::get).filter(Objects::nonNull)
                    .toArray(PeerState[]::new);
            SegmentCounters segmentCounters = counters.forSegment(segment.vni(), segment.network());
            SegmentState previous = old.segmentByVni(segment.vni());
            SegmentState state = previous != null && previous.counters == segmentCounters
                    && previous.sameShape(segment, spanned) ? previous
                    : new SegmentState(segment, spanned, new MacTable(macTableLimit, macAgeingNanos), segmentCounters);
            byVni.put(segment.vni(), state);
            byTags.put(ForwardingTable.tagsKey(segment.hostTag(), segment.customerTag()), state);
        }
        table = new ForwardingTable(byVni, byTags, byDatacenterTag, Map.copyOf(peersById));
        Map<Integer, Segment> keptSegments = new LinkedHashMap<>(nextSegments);
        Map<String, Peer> keptPeers = new LinkedHashMap<>(nextPeers);
        segments.clear();
        segments.putAll(keptSegments);
        peers.clear();
        peers.putAll(keptPeers);
        counters.retainOnly(nextSegments.keySet());
    }

    private void validate(Map<Integer, Segment> nextSegments, Map<String, Peer> nextPeers) {
        Map<Integer, Segment> byTags = new HashMap<>();
        for (Segment segment : nextSegments.values()) {
            Segment clash = byTags.put(ForwardingTable.tagsKey(segment.hostTag(), segment.customerTag()), segment);
            if (clash != null) {
                throw new IllegalArgumentException("segments " + clash.network() + " (VNI " + clash.vni() + ") and "
                        + segment.network() + " (VNI " + segment.vni() + ") have the same host tag "
                        + segment.hostTag() + " and customer tag " + segment.customerTag());
            }
        }
        Set<Integer> datacenterTags = new HashSet<>();
        for (Peer peer : nextPeers.values().stream().sorted(Comparator.comparing(Peer::nodeId)).toList()) {
            if (peer.datacenterTag() == localDatacenterTag) {
                throw new IllegalArgumentException("peer " + peer.nodeId() + " has this node's own datacenter tag "
                        + localDatacenterTag);
            }
            if (!datacenterTags.add(peer.datacenterTag())) {
                throw new IllegalArgumentException("two peers have datacenter tag " + peer.datacenterTag());
            }
        }
    }

    /** Expires aged MAC addresses in every segment; the datapath runs this from a timer. */
    void expireMacs(long now) {
        for (SegmentState segment : table.segments()) {
            segment.macs.expire(now);
        }
    }

    List<SegmentState> segmentStates() {
        List<SegmentState> states = new ArrayList<>();
        table.segments().forEach(states::add);
        states.sort(Comparator.comparingInt(s -> s.segment.vni()));
        return states;
    }

    static void checkVid(String what, int vid) {
        if (vid < 1 || vid > 4094) {
            throw new IllegalArgumentException(what + " must be a VLAN ID 1..4094, was " + vid);
        }
    }
}
