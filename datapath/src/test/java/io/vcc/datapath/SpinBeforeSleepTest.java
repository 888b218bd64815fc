package io.vcc.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.SelectStrategy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The event loop's waiting, driven with a clock the test moves and a poll that returns what the test says. */
class SpinBeforeSleepTest {

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final AtomicInteger ready = new AtomicInteger();
    private final AtomicInteger polls = new AtomicInteger();

    private int decide(SpinBeforeSleep strategy, boolean hasTasks) throws Exception {
        return strategy.calculateStrategy(() -> {
            polls.incrementAndGet();
            return ready.get();
        }, hasTasks);
    }

    @Test
    void keepsPollingForTheSpinPeriodAfterWorkThenSleeps() throws Exception {
        SpinBeforeSleep strategy = new SpinBeforeSleep(50_000, clock::get);
        ready.set(3);
        assertThat(decide(strategy, false)).as("ready sockets are handled at once").isEqualTo(3);

        ready.set(0);
        clock.addAndGet(10_000);
        assertThat(decide(strategy, false)).as("10 us after work: poll again, do not sleep").isZero();
        clock.addAndGet(39_000);
        assertThat(decide(strategy, false)).as("49 us after work").isZero();
        clock.addAndGet(2_000);
        assertThat(decide(strategy, false)).as("51 us after work: sleep in epoll_wait").isEqualTo(SelectStrategy.SELECT);
    }

    @Test
    void aWakeUpFromSleepStartsAnotherSpinPeriod() throws Exception {
        SpinBeforeSleep strategy = new SpinBeforeSleep(50_000, clock::get);
        assertThat(decide(strategy, false)).isEqualTo(SelectStrategy.SELECT);
        // the loop slept, a datagram woke it and was handled; the next decision comes right after
        clock.addAndGet(5_000_000);
        assertThat(decide(strategy, false)).as("right after a wake-up the next datagram is likely near").isZero();
        clock.addAndGet(60_000);
        assertThat(decide(strategy, false)).isEqualTo(SelectStrategy.SELECT);
    }

    @Test
    void pendingTasksAlwaysPollWithoutSleeping() throws Exception {
        SpinBeforeSleep strategy = new SpinBeforeSleep(50_000, clock::get);
        clock.addAndGet(1_000_000);
        assertThat(decide(strategy, true)).isZero();
        assertThat(polls).hasValue(1);
    }

    @Test
    void withoutSpinItWaitsAsNettyDoes() throws Exception {
        SpinBeforeSleep strategy = new SpinBeforeSleep(0, clock::get);
        ready.set(2);
        assertThat(decide(strategy, false)).as("no tasks: block in epoll_wait, which returns the ready sockets")
                .isEqualTo(SelectStrategy.SELECT);
        assertThat(polls).as("and no extra non-blocking poll before it").hasValue(0);
        assertThat(decide(strategy, true)).isEqualTo(2);
    }

    @Test
    void theSpinIsBoundedInTheConfig() {
        DatapathConfig.Builder builder = DatapathConfig.builder().localVtep(new InetSocketAddress(0))
                .tunnel(new InetSocketAddress(0)).datacenterTag(108);
        assertThat(builder.build().spinBeforeSleep()).isEqualTo(Duration.ofNanos(200_000));
        assertThat(builder.spinBeforeSleep(Duration.ZERO).build().spinBeforeSleep()).isZero();
        assertThatThrownBy(() -> builder.spinBeforeSleep(Duration.ofSeconds(1)).build())
                .hasMessageContaining("spinBeforeSleep must be 0..10ms");
        assertThatThrownBy(() -> builder.spinBeforeSleep(Duration.ofNanos(-1)).build())
                .hasMessageContaining("spinBeforeSleep must be 0..10ms");
    }
}
