package io.vcc.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.SegmentedDatagramPacket;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What one socket writes for a read batch's datagrams: runs joined for UDP GSO, order and bytes kept. */
class DatagramTrainTest {

    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 4790);
    private static final InetSocketAddress OTHER_PEER = new InetSocketAddress("127.0.0.2", 4790);

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final List<ByteBuf> sent = new ArrayList<>();

    @AfterEach
    void releaseAll() {
        for (ByteBuf buf : sent) {
            assertThat(buf.refCnt()).as("the train released every datagram it copied").isZero();
        }
        channel.finishAndReleaseAll();
    }

    @Test
    void aRunOfEqualDatagramsToOneRecipientIsOneSegmentedWrite() {
        DatagramTrain train = new DatagramTrain(channel, true);
        for (int i = 0; i < 5; i++) {
            train.add(datagram(100, i), PEER);
        }
        train.end();

        List<Object> written = written();
        assertThat(written).hasSize(1);
        SegmentedDatagramPacket packet = (SegmentedDatagramPacket) written.get(0);
        assertThat(packet.segmentSize()).isEqualTo(100);
        assertThat(packet.recipient()).isEqualTo(PEER);
        assertThat(packet.content().readableBytes()).isEqualTo(500);
        for (int i = 0; i < 5; i++) {
            assertThat(packet.content().getByte(i * 100)).as("segment %d in order", i).isEqualTo((byte) i);
            assertThat(packet.content().getByte(i * 100 + 99)).isEqualTo((byte) i);
        }
        packet.release();
    }

    @Test
    void anotherLengthOrRecipientEndsTheRunAndOrderIsKept() {
        DatagramTrain train = new DatagramTrain(channel, true);
        train.add(datagram(100, 0), PEER);
        train.add(datagram(100, 1), PEER);
        train.add(datagram(60, 2), PEER);        // shorter: ends the run, starts its own
        train.add(datagram(100, 3), OTHER_PEER); // elsewhere
        train.add(datagram(100, 4), PEER);
        train.add(datagram(100, 5), PEER);
        train.end();

        List<Object> written = written();
        assertThat(written).hasSize(4);
        assertThat(written.get(0)).isInstanceOf(SegmentedDatagramPacket.class);
        assertThat(((DatagramPacket) written.get(0)).content().readableBytes()).isEqualTo(200);
        assertThat(written.get(1)).isNotInstanceOf(SegmentedDatagramPacket.class);
        assertThat(((DatagramPacket) written.get(1)).content().getByte(0)).isEqualTo((byte) 2);
        assertThat(((DatagramPacket) written.get(2)).recipient()).isEqualTo(OTHER_PEER);
        assertThat(((DatagramPacket) written.get(2)).content().getByte(0)).isEqualTo((byte) 3);
        assertThat(((DatagramPacket) written.get(3)).content().getByte(100)).isEqualTo((byte) 5);
        written.forEach(p -> ((DatagramPacket) p).release());
    }

    @Test
    void aRunNeverExceedsTheKernelsLimits() {
        DatagramTrain train = new DatagramTrain(channel, true);
        for (int i = 0; i < DatagramTrain.MAX_SEGMENTS + 1; i++) {
            train.add(datagram(64, i), PEER);
        }
        for (int i = 0; i < 50; i++) {
            train.add(datagram(1500, i), PEER);
        }
        train.end();

        List<Object> written = written();
        int[] segments = written.stream().mapToInt(p -> {
            DatagramPacket packet = (DatagramPacket) p;
            int size = packet instanceof SegmentedDatagramPacket s ? s.segmentSize() : packet.content().readableBytes();
            assertThat(packet.content().readableBytes()).isLessThanOrEqualTo(DatagramTrain.MAX_BYTES);
            return packet.content().readableBytes() / size;
        }).toArray();
        assertThat(segments).containsExactly(DatagramTrain.MAX_SEGMENTS, 1, 43, 7);
        written.forEach(p -> ((DatagramPacket) p).release());
    }

    @Test
    void aSingleDatagramIsWrittenAsItCameWithoutACopy() {
        DatagramTrain train = new DatagramTrain(channel, true);
        ByteBuf only = datagram(100, 7);
        train.add(only, PEER);
        train.end();
        List<Object> written = written();
        assertThat(written).hasSize(1);
        assertThat(((DatagramPacket) written.get(0)).content()).isSameAs(only);
        sent.remove(only);
        ((DatagramPacket) written.get(0)).release();
    }

    @Test
    void withoutGsoEveryDatagramIsItsOwnWrite() {
        DatagramTrain train = new DatagramTrain(channel, false);
        for (int i = 0; i < 3; i++) {
            ByteBuf buf = datagram(100, i);
            sent.remove(buf);
            train.add(buf, PEER);
        }
        train.end();
        List<Object> written = written();
        assertThat(written).hasSize(3).allMatch(p -> !(p instanceof SegmentedDatagramPacket));
        written.forEach(p -> ((DatagramPacket) p).release());
    }

    @Test
    void aJoinedSendTheKernelRefusesGoesOutDatagramByDatagram() {
        EmbeddedChannel refusing = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (msg instanceof SegmentedDatagramPacket packet) {
                    packet.release();
                    promise.setFailure(new IOException("Message too long")); // EMSGSIZE: a link's MTU is smaller
                } else {
                    ctx.write(msg, promise);
                }
            }
        });
        DatagramTrain train = new DatagramTrain(refusing, true);
        for (int i = 0; i < 3; i++) {
            train.add(datagram(100, i), PEER);
        }
        train.end();
        refusing.flushOutbound();

        List<DatagramPacket> out = new ArrayList<>();
        for (Object msg; (msg = refusing.readOutbound()) != null; ) {
            out.add((DatagramPacket) msg);
        }
        assertThat(out).hasSize(3).allSatisfy(p -> {
            assertThat(p).isNotInstanceOf(SegmentedDatagramPacket.class);
            assertThat(p.recipient()).isEqualTo(PEER);
            assertThat(p.content().readableBytes()).isEqualTo(100);
        });
        for (int i = 0; i < 3; i++) {
            assertThat(out.get(i).content().getByte(99)).as("datagram %d in order", i).isEqualTo((byte) i);
        }
        ByteBuf run = out.get(0).content().unwrap();
        out.forEach(DatagramPacket::release);
        assertThat(run.refCnt()).as("the joined run is released once its datagrams are").isZero();
        refusing.finishAndReleaseAll();
    }

    private ByteBuf datagram(int length, int mark) {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(length);
        for (int i = 0; i < length; i++) {
            buf.writeByte(mark);
        }
        sent.add(buf);
        return buf;
    }

    private List<Object> written() {
        channel.flushOutbound();
        List<Object> out = new ArrayList<>();
        for (Object msg; (msg = channel.readOutbound()) != null; ) {
            out.add(msg);
        }
        return out;
    }
}
