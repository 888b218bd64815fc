package io.vcc.datapath;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.vcc.datapath.tunnel.TunnelCipher;
import java.net.InetSocketAddress;

/**
 * Where the forwarding logic sends: one per event loop in a running datapath (its two sockets), a
 * recorder in tests. Sends take ownership of the buffer.
 */
interface Egress {

    ByteBufAllocator alloc();

    TunnelCipher cipher();

    /** Sends a VXLAN datagram to a local VTEP; false (and the buffer released) when the socket is backed up. */
    boolean toLocal(ByteBuf datagram, InetSocketAddress recipient);

    /** Sends a tunnel datagram to a peer; false (and the buffer released) when the socket is backed up. */
    boolean toTunnel(ByteBuf datagram, InetSocketAddress recipient);
}
