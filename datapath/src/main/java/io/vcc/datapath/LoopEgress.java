package io.vcc.datapath;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import io.vcc.datapath.tunnel.TunnelCipher;
import java.net.InetSocketAddress;

/**
 * The two sockets of one event loop (local VTEP side and tunnel side) and that loop's cipher. Only that
 * loop's thread uses it, so it needs no locking; writes are flushed once per read batch, which lets the
 * epoll transport send the whole batch with one sendmmsg.
 */
final class LoopEgress implements Egress {

    private final TunnelCipher cipher = new TunnelCipher();
    private Channel local;
    private Channel tunnel;
    private boolean localPending;
    private boolean tunnelPending;

    void attach(Channel local, Channel tunnel) {
        this.local = local;
        this.tunnel = tunnel;
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
        local.write(new DatagramPacket(datagram, recipient), local.voidPromise());
        localPending = true;
        return true;
    }

    @Override
    public boolean toTunnel(ByteBuf datagram, InetSocketAddress recipient) {
        if (!tunnel.isWritable()) {
            datagram.release();
            return false;
        }
        tunnel.write(new DatagramPacket(datagram, recipient), tunnel.voidPromise());
        tunnelPending = true;
        return true;
    }

    void flush() {
        if (localPending) {
            localPending = false;
            local.flush();
        }
        if (tunnelPending) {
            tunnelPending = false;
            tunnel.flush();
        }
    }
}
