package io.vcc.datapath;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.vcc.datapath.tunnel.TunnelCipher;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** An {@link Egress} that records what would have been sent, copies the bytes and releases the buffers. */
final class RecordingEgress implements Egress {

    record Sent(boolean tunnel, InetSocketAddress to, byte[] bytes) {
    }

    private final TunnelCipher cipher = new TunnelCipher();
    private final List<Sent> sent = new ArrayList<>();
    boolean backedUp;

    @Override
    public ByteBufAllocator alloc() {
        return PooledByteBufAllocator.DEFAULT;
    }

    @Override
    public TunnelCipher cipher() {
        return cipher;
    }

    @Override
    public boolean toLocal(ByteBuf datagram, InetSocketAddress recipient) {
        return record(false, datagram, recipient);
    }

    @Override
    public boolean toTunnel(ByteBuf datagram, InetSocketAddress recipient) {
        return record(true, datagram, recipient);
    }

    private boolean record(boolean tunnel, ByteBuf datagram, InetSocketAddress recipient) {
        try {
            if (backedUp) {
                return false;
            }
            byte[] bytes = new byte[datagram.readableBytes()];
            datagram.getBytes(datagram.readerIndex(), bytes);
            sent.add(new Sent(tunnel, recipient, bytes));
            return true;
        } finally {
            datagram.release();
        }
    }

    List<Sent> drain() {
        List<Sent> out = List.copyOf(sent);
        sent.clear();
        return out;
    }
}
