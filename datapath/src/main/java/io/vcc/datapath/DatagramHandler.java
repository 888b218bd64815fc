package io.vcc.datapath;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only handler in each socket's pipeline: hands every datagram to the {@link FrameForwarder} and
 * releases it. Nothing escapes it: an unexpected exception is counted as
 * {@link DropReason#INTERNAL_ERROR} and the socket keeps running.
 */
final class DatagramHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(DatagramHandler.class);

    enum Side { LOCAL, TUNNEL }

    private final Side side;
    private final FrameForwarder forwarder;
    private final LoopEgress egress;
    private final DatapathCounters counters;
    private long errorsLogged;

    DatagramHandler(Side side, FrameForwarder forwarder, LoopEgress egress, DatapathCounters counters) {
        this.side = side;
        this.forwarder = forwarder;
        this.egress = egress;
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            if (side == Side.LOCAL) {
                forwarder.fromLocal(packet.content(), packet.sender(), egress);
            } else {
                forwarder.fromTunnel(packet.content(), packet.sender(), egress);
            }
        } catch (RuntimeException e) {
            counters.unassigned().drop(DropReason.INTERNAL_ERROR);
            if (errorsLogged++ < 10) {
                log.error("datapath bug while forwarding a datagram from {} (counted as internal_error)", side, e);
            }
        } finally {
            packet.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        egress.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Reached by failed sends (the writes use the void promise) and socket errors; a datapath socket
        // is never closed for one datagram.
        counters.unassigned().drop(DropReason.SEND_FAILED);
        if (errorsLogged++ < 10) {
            log.warn("datapath {} socket error: {}", side, cause.toString());
        }
    }
}
