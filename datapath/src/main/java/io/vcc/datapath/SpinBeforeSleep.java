package io.vcc.datapath;

import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;
import java.util.function.LongSupplier;

/**
 * How an event loop waits for datagrams: after it last found work it keeps polling epoll without blocking
 * for a short while before it goes to sleep in {@code epoll_wait}.
 *
 * <p>Why: a sleeping loop is woken by the kernel's scheduler, which on this kind of machine (a small VM whose
 * idle cores halt) costs tens of microseconds per wake-up and, with the cores busy with other work, a time
 * slice or more. A frame crossing two nodes meets two such wake-ups, the kernel's own bridge path none. A
 * loop that is still polling when the next datagram of a flow arrives picks it up at once. The poll yields
 * the core on every empty round, so a spinning loop never holds a core another thread is waiting for, and
 * the spin is bounded, so an idle datapath sleeps: the cost is at most one spin period of one core after
 * each burst. Traffic that comes about once per spin period, or more often, keeps a loop that receives it
 * from ever sleeping: up to a core per such loop, given up to any other thread that wants it. The default
 * ({@link DatapathConfig#DEFAULT_SPIN_BEFORE_SLEEP}) took the added one-way latency across two nodes from
 * about 85 to about 19 µs at p50 in the datapath benchmark (docs/benchmarks.md).
 *
 * <p>One instance per event loop (the factory makes one for each): it keeps that loop's last busy time.
 */
final class SpinBeforeSleep implements SelectStrategy {

    private final long spinNanos;
    private final LongSupplier clock;
    private long lastWork;
    private boolean slept;

    SpinBeforeSleep(long spinNanos, LongSupplier clock) {
        this.spinNanos = spinNanos;
        this.clock = clock;
    }

    static SelectStrategyFactory factory(long spinNanos) {
        return () -> new SpinBeforeSleep(spinNanos, System::nanoTime);
    }

    @Override
    public int calculateStrategy(IntSupplier selectSupplier, boolean hasTasks) throws Exception {
        if (spinNanos <= 0) {
            return hasTasks ? selectSupplier.get() : SelectStrategy.SELECT;
        }
        long now = clock.getAsLong();
        if (slept) {
            // Woken from epoll_wait: by a datagram, a task or a timer. Any of them may be followed by more.
            slept = false;
            lastWork = now;
        }
        int ready = selectSupplier.get();
        if (ready > 0 || hasTasks) {
            lastWork = now;
            return ready;
        }
        if (now - lastWork < spinNanos) {
            Thread.yield();
            return 0;
        }
        slept = true;
        return SelectStrategy.SELECT;
    }
}
