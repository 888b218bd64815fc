package io.vcc.datapath;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * All counters of a datapath: one set per segment, kept across tag-map changes as long as the segment
 * keeps its VNI and name, and one set for traffic that could not be put on any segment.
 */
final class DatapathCounters {

    /** Told when a segment's counters appear or go, so that metrics follow the tag map. */
    interface Listener {
        void added(SegmentCounters counters);

        void removed(SegmentCounters counters);
    }

    private final SegmentCounters unassigned = new SegmentCounters(SegmentCounters.UNASSIGNED, "none");
    private final Map<Integer, SegmentCounters> bySegment = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    SegmentCounters unassigned() {
        return unassigned;
    }

    /** Called by the tag map under its lock, so never concurrently with itself. */
    SegmentCounters forSegment(int vni, String network) {
        SegmentCounters existing = bySegment.get(vni);
        if (existing != null && existing.network.equals(network)) {
            return existing;
        }
        SegmentCounters created = new SegmentCounters(vni, network);
        bySegment.put(vni, created);
        if (existing != null) {
            listeners.forEach(l -> l.removed(existing));
        }
        listeners.forEach(l -> l.added(created));
        return created;
    }

    void retainOnly(java.util.Set<Integer> vnis) {
        for (SegmentCounters counters : List.copyOf(bySegment.values())) {
            if (!vnis.contains(counters.vni) && bySegment.remove(counters.vni, counters)) {
                listeners.forEach(l -> l.removed(counters));
            }
        }
    }

    List<SegmentCounters> segments() {
        return List.copyOf(bySegment.values());
    }

    SegmentCounters segment(int vni) {
        return bySegment.get(vni);
    }

    void addListener(Listener listener) {
        listeners.add(listener);
    }
}
