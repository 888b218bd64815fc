package io.vcc.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One node's forwarding logic without sockets: tag map, keys, counters and forwarder, a recording egress
 * and a clock the test moves. Every datagram goes in as a pooled direct buffer, like the epoll transport
 * hands them over, and must be released exactly once afterwards.
 */
final class TestNode {

    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    final DatapathConfig config;
    final DatapathCounters counters = new DatapathCounters();
    final TunnelKeys keys = new TunnelKeys();
    final TagMap tagMap;
    final FrameForwarder forwarder;
    final RecordingEgress egress = new RecordingEgress();

    TestNode(int datacenterTag, InetSocketAddress tunnel) {
        this(DatapathConfig.builder().localVtep(new InetSocketAddress("127.0.0.1", 0)).tunnel(tunnel)
                .datacenterTag(datacenterTag).macAgeing(Duration.ofSeconds(300)).tunnelMtu(9000).maxFrameLength(1518));
    }

    TestNode(DatapathConfig.Builder builder) {
        this.config = builder.nanoClock(clock::get).build();
        this.tagMap = new TagMap(config, counters, keys);
        this.forwarder = new FrameForwarder(config, tagMap, counters);
    }

    List<RecordingEgress.Sent> fromLocal(byte[] datagram, InetSocketAddress sender) {
        ByteBuf buf = direct(datagram);
        forwarder.fromLocal(buf, sender, egress);
        assertThat(buf.release()).as("the forwarder must leave the datagram's reference to its caller").isTrue();
        return egress.drain();
    }

    List<RecordingEgress.Sent> fromTunnel(byte[] datagram, InetSocketAddress sender) {
        ByteBuf buf = direct(datagram);
        forwarder.fromTunnel(buf, sender, egress);
        assertThat(buf.release()).as("the forwarder must leave the datagram's reference to its caller").isTrue();
        return egress.drain();
    }

    SegmentStats stats(int vni) {
        return counters.segment(vni).snapshot();
    }

    SegmentStats unassigned() {
        return counters.unassigned().snapshot();
    }

    private static ByteBuf direct(byte[] bytes) {
        // a slice of a larger buffer, as recvmmsg hands them over: writing outside it would throw
        ByteBuf whole = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length + 64);
        whole.writeZero(32).writeBytes(bytes).writeZero(32);
        ByteBuf slice = whole.retainedSlice(32, bytes.length);
        whole.release();
        return slice;
    }
}
