package io.vcc.datapath;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * The datapath's counters as Micrometer meters, for the node to register with Actuator. Meters follow the
 * tag map: a segment added later gets its meters then, a removed one loses them.
 *
 * <ul>
 *   <li>{@code vcc.datapath.frames.received} / {@code vcc.datapath.bytes.received}, tag {@code from} = local|tunnel</li>
 *   <li>{@code vcc.datapath.frames.sent} / {@code vcc.datapath.bytes.sent}, tag {@code to} = local|tunnel</li>
 *   <li>{@code vcc.datapath.frames.dropped}, tag {@code reason}</li>
 * </ul>
 * all with tags {@code segment} (the VNI, or {@code none}) and {@code network}.
 */
public final class DatapathMetrics implements MeterBinder, DatapathCounters.Listener {

    private final DatapathCounters counters;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final Map<SegmentCounters, List<Meter.Id>> meters = new ConcurrentHashMap<>();

    DatapathMetrics(DatapathCounters counters) {
        this.counters = counters;
        counters.addListener(this);
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        registries.add(registry);
        register(registry, counters.unassigned());
        for (SegmentCounters segment : counters.segments()) {
            register(registry, segment);
        }
    }

    @Override
    public synchronized void added(SegmentCounters segment) {
        for (MeterRegistry registry : registries) {
            register(registry, segment);
        }
    }

    @Override
    public synchronized void removed(SegmentCounters segment) {
        List<Meter.Id> ids = meters.remove(segment);
        if (ids != null) {
            for (MeterRegistry registry : registries) {
                ids.forEach(registry::remove);
            }
        }
    }

    private void register(MeterRegistry registry, SegmentCounters c) {
        Tags tags = Tags.of("segment", c.vni == SegmentCounters.UNASSIGNED ? "none" : Integer.toString(c.vni),
                "network", c.network);
        List<Meter.Id> ids = meters.computeIfAbsent(c, k -> new ArrayList<>());
        ids.add(counter(registry, "vcc.datapath.frames.received", tags.and("from", "local"), c.framesFromLocal, "frames"));
        ids.add(counter(registry, "vcc.datapath.bytes.received", tags.and("from", "local"), c.bytesFromLocal, "bytes"));
        ids.add(counter(registry, "vcc.datapath.frames.received", tags.and("from", "tunnel"), c.framesFromTunnel, "frames"));
        ids.add(counter(registry, "vcc.datapath.bytes.received", tags.and("from", "tunnel"), c.bytesFromTunnel, "bytes"));
        ids.add(counter(registry, "vcc.datapath.frames.sent", tags.and("to", "local"), c.framesToLocal, "frames"));
        ids.add(counter(registry, "vcc.datapath.bytes.sent", tags.and("to", "local"), c.bytesToLocal, "bytes"));
        ids.add(counter(registry, "vcc.datapath.frames.sent", tags.and("to", "tunnel"), c.framesToTunnel, "frames"));
        ids.add(counter(registry, "vcc.datapath.bytes.sent", tags.and("to", "tunnel"), c.bytesToTunnel, "bytes"));
        for (DropReason reason : DropReason.values()) {
            ids.add(counter(registry, "vcc.datapath.frames.dropped", tags.and("reason", reason.name().toLowerCase()),
                    c.droppedAdder(reason), "frames"));
        }
    }

    private static Meter.Id counter(MeterRegistry registry, String name, Tags tags, LongAdder adder, String unit) {
        return FunctionCounter.builder(name, adder, LongAdder::doubleValue).tags(tags).baseUnit(unit)
                .register(registry).getId();
    }
}
