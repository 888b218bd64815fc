package io.vcc.datapath;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.vcc.datapath.tunnel.TunnelCipher;
import java.net.InetSocketAddress;

/**
 * The two sockets of one event loop (local VTEP side and tunnel side) and that loop's cipher. Only that
 * loop's thread uses it, so it needs no locking; writes are flushed once per read batch, which lets the
 * epoll transport send the whole batch with one sendmmsg, and runs of equal datagrams to one recipient
 * within the batch go out as one UDP GSO send ({@link DatagramTrain}).
 */
final class LoopEgress implements Egress {

    private final TunnelCipher cipher = new TunnelCipher();
    private final boolean gso;
    private Channel local;
    private Channel tunnel;
    private DatagramTrain localTrain;
    private DatagramTrain tunnelTrain;
    private boolean localPending;
    private boolean tunnelPending;

    LoopEgress(boolean gso) {
        this.gso = gso;
    }

    void attach(Channel local, Channel tunnel) {
        this.local = local;
        this.tunnel = tunnel;
        this.localTrain = new DatagramTrain(local, gso);
        this.tunnelTrain = new DatagramTrain(tunnel, gso);
    }

    @Override
    public ByteBufAllocator alloc() {
        return tunnel.alloc();
    }

    @Override
    public TunnelCipher cipher() {
        return cipher;
    }

    @Override
    public boolean toLocal(ByteBuf datagram, InetSocketAddress recipient) {
        if (!local.isWritable()) {
            datagram.release();
            return false;
        }
        localTrain.add(datagram, recipient);
        localPending = true;
        return true;
    }

    @Override
    public boolean toTunnel(ByteBuf datagram, InetSocketAddress recipient) {
        if (!tunnel.isWritable()) {
            datagram.release();
            return false;
        }
        tunnelTrain.add(datagram, recipient);
        tunnelPending = true;
        return true;
    }

    void flush() {
        if (localPending) {
            localPending = false;
            localTrain.end();
            local.flush();
        }
        if (tunnelPending) {
            tunnelPending = false;
            tunnelTrain.end();
            tunnel.flush();
        }
    }
}
