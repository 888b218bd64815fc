package io.vcc.datapath;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays a tenant's VLAN-tagging switch between a cloud's kernel VXLAN devices and the node's datapath,
 * because this machine's kernel can make no 802.1Q tag itself (no 8021q module, no bridge VLAN filtering,
 * no tc vlan action). VXLAN from the kernel gets the tenant's 802.1Q tag inserted after the MAC addresses
 * and goes on to the datapath; VXLAN from the datapath must carry that tag, loses it, and goes on to the
 * kernel. Frames from the datapath without the tag are counted and not passed on.
 */
final class VlanShim implements AutoCloseable {

    private final DatagramSocket socket;
    private final InetSocketAddress datapath;
    private final InetSocketAddress kernelVtep;
    private final int vlan;
    private final AtomicLong untaggedFromDatapath = new AtomicLong();
    private final AtomicLong tagged = new AtomicLong();
    private final AtomicLong untagged = new AtomicLong();
    private final Thread relay;

    VlanShim(InetAddress bind, InetSocketAddress datapath, InetSocketAddress kernelVtep, int vlan) throws SocketException {
        this.socket = new DatagramSocket(new InetSocketAddress(bind, 0));
        this.datapath = datapath;
        this.kernelVtep = kernelVtep;
        this.vlan = vlan;
        this.relay = new Thread(this::run, "vlan-shim-" + bind.getHostAddress());
        relay.setDaemon(true);
        relay.start();
    }

    /** Where the kernel VXLAN devices and the datapath segment must point. */
    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    long untaggedFromDatapath() {
        return untaggedFromDatapath.get();
    }

    long tagged() {
        return tagged.get();
    }

    long untagged() {
        return untagged.get();
    }

    private void run() {
        byte[] buffer = new byte[65_535];
        byte[] out = new byte[65_535 + 4];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                int length = packet.getLength();
                if (length < 8 + 14) {
                    continue;
                }
                if (packet.getSocketAddress().equals(datapath)) {
                    // VXLAN header (8) + addresses (12), then the tag we expect
                    if ((buffer[20] & 0xFF) != 0x81 || buffer[21] != 0 || (((buffer[22] & 0x0F) << 8) | (buffer[23] & 0xFF)) != vlan) {
                        untaggedFromDatapath.incrementAndGet();
                        continue;
                    }
                    System.arraycopy(buffer, 0, out, 0, 20);
                    System.arraycopy(buffer, 24, out, 20, length - 24);
                    socket.send(new DatagramPacket(out, length - 4, kernelVtep));
                    untagged.incrementAndGet();
                } else {
                    System.arraycopy(buffer, 0, out, 0, 20);
                    out[20] = (byte) 0x81;
                    out[21] = 0;
                    out[22] = (byte) (vlan >>> 8);
                    out[23] = (byte) vlan;
                    System.arraycopy(buffer, 20, out, 24, length - 20);
                    socket.send(new DatagramPacket(out, length + 4, datapath));
                    tagged.incrementAndGet();
                }
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        relay.join(2_000);
    }
}
