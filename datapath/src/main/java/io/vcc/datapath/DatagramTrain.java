package io.vcc.datapath;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.epoll.SegmentedDatagramPacket;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * The datagrams one socket sends within one read batch, joined where the kernel can take them as one: a run
 * of datagrams of the same length to the same recipient goes out as a single UDP GSO send (UDP_SEGMENT),
 * so the kernel walks its send path once per run instead of once per datagram, and a receiver with UDP_GRO
 * (the peer node's tunnel socket) takes the run in as one buffer. Everyone else receives ordinary
 * datagrams, split by the kernel or the network card. Order is kept: a datagram that cannot join the run
 * ends it.
 *
 * <p>A joined send the kernel refuses (a recipient behind a link whose MTU is smaller than a segment, where
 * the kernel would have fragmented each datagram on its own) is sent again datagram by datagram, so GSO never
 * loses a frame the plain path would have delivered.
 *
 * <p>Used by its event loop's thread only. Without GSO (another transport, or an old kernel) every datagram
 * is written on its own, as before.
 */
final class DatagramTrain {

    /** The kernel's UDP_MAX_SEGMENTS is 64 on older kernels. */
    static final int MAX_SEGMENTS = 64;
    /** A UDP payload cannot be longer (65,535 less the IPv4 and UDP headers). */
    static final int MAX_BYTES = 65_507;

    private final Channel channel;
    private final boolean gso;
    private ByteBuf first;
    private ByteBuf joined;
    private InetSocketAddress recipient;
    private int segmentSize;
    private int segments;

    DatagramTrain(Channel channel, boolean gso) {
        this.channel = channel;
        this.gso = gso;
    }

    /** Takes ownership of {@code datagram}; it is written by the time {@link #end()} returns. */
    void add(ByteBuf datagram, InetSocketAddress to) {
        if (!gso) {
            channel.write(new DatagramPacket(datagram, to), channel.voidPromise());
            return;
        }
        int length = datagram.readableBytes();
        if (segments > 0 && length == segmentSize && length > 0 && segments < MAX_SEGMENTS
                && (long) (segments + 1) * length <= MAX_BYTES && (to == recipient || to.equals(recipient))) {
            if (joined == null) {
                joined = channel.alloc().directBuffer(Math.min(MAX_SEGMENTS * length, MAX_BYTES));
                joined.writeBytes(first, first.readerIndex(), segmentSize);
                first.release();
                first = null;
            }
            joined.writeBytes(datagram, datagram.readerIndex(), length);
            datagram.release();
            segments++;
            return;
        }
        end();
        first = datagram;
        recipient = to;
        segmentSize = length;
        segments = 1;
    }

    /** Writes the run so far (not flushed). */
    void end() {
        if (segments == 0) {
            return;
        }
        if (joined == null) {
            channel.write(new DatagramPacket(first, recipient), channel.voidPromise());
        } else {
            writeJoined(joined, segmentSize, recipient);
        }
        first = null;
        joined = null;
        recipient = null;
        segments = 0;
    }

    private void writeJoined(ByteBuf run, int size, InetSocketAddress to) {
        int from = run.readerIndex();
        int end = run.writerIndex();
        run.retain(); // kept until the send is known to have gone, to resend it datagram by datagram if not
        channel.write(new SegmentedDatagramPacket(run, size, to)).addListener(sent -> {
            if (!sent.isSuccess()) {
                for (int at = from; at < end; at += size) {
                    channel.write(new DatagramPacket(run.retainedSlice(at, size), to), channel.voidPromise());
                }
                channel.flush();
            }
            run.release();
        });
    }
}
