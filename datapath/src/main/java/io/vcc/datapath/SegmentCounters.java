package io.vcc.datapath;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The live counters of one segment; {@link LongAdder}s so that event loops count without contending. */
final class SegmentCounters {

    static final int UNASSIGNED = -1;

    final int vni;
    final String network;
    final LongAdder framesFromLocal = new LongAdder();
    final LongAdder bytesFromLocal = new LongAdder();
    final LongAdder framesFromTunnel = new LongAdder();
    final LongAdder bytesFromTunnel = new LongAdder();
    final LongAdder framesToLocal = new LongAdder();
    final LongAdder bytesToLocal = new LongAdder();
    final LongAdder framesToTunnel = new LongAdder();
    final LongAdder bytesToTunnel = new LongAdder();
    private final LongAdder[] dropped = new LongAdder[DropReason.values().length];

    SegmentCounters(int vni, String network) {
        this.vni = vni;
        this.network = network;
        for (int i = 0; i < dropped.length; i++) {
            dropped[i] = new LongAdder();
        }
    }

    void drop(DropReason reason) {
        dropped[reason.ordinal()].increment();
    }

    long dropped(DropReason reason) {
        return dropped[reason.ordinal()].sum();
    }

    LongAdder droppedAdder(DropReason reason) {
        return dropped[reason.ordinal()];
    }

    SegmentStats snapshot() {
        Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
        for (DropReason reason : DropReason.values()) {
            long count = dropped[reason.ordinal()].sum();
            if (count != 0) {
                drops.put(reason, count);
            }
        }
        return new SegmentStats(vni, network, framesFromLocal.sum(), bytesFromLocal.sum(), framesFromTunnel.sum(),
                bytesFromTunnel.sum(), framesToLocal.sum(), bytesToLocal.sum(), framesToTunnel.sum(),
                bytesToTunnel.sum(), drops);
    }
}
