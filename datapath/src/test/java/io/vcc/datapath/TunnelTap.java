package io.vcc.datapath;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A UDP relay spliced into the tunnel between two nodes that keeps a copy of every datagram: node A sends
 * to {@link #towardsB()}, node B to {@link #towardsA()}. A capture of what really crossed the wire.
 */
final class TunnelTap implements AutoCloseable {

    record Captured(boolean fromA, byte[] bytes) {
    }

    private final DatagramSocket fromA;
    private final DatagramSocket fromB;
    private final List<Captured> captured = new CopyOnWriteArrayList<>();
    private final Thread[] relays = new Thread[2];

    TunnelTap(InetSocketAddress nodeA, InetSocketAddress nodeB) throws SocketException {
        fromA = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        fromB = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        relays[0] = relay(fromA, fromB, nodeB, true);
        relays[1] = relay(fromB, fromA, nodeA, false);
    }

    InetSocketAddress towardsB() {
        return (InetSocketAddress) fromA.getLocalSocketAddress();
    }

    InetSocketAddress towardsA() {
        return (InetSocketAddress) fromB.getLocalSocketAddress();
    }

    List<Captured> captured() {
        return List.copyOf(captured);
    }

    private Thread relay(DatagramSocket in, DatagramSocket out, InetSocketAddress to, boolean isFromA) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[65_535];
            while (!in.isClosed()) {
                try {
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    in.receive(packet);
                    byte[] copy = Arrays.copyOf(buffer, packet.getLength());
                    captured.add(new Captured(isFromA, copy));
                    out.send(new DatagramPacket(copy, copy.length, to));
                } catch (IOException e) {
                    return; // closed
                }
            }
        }, "tunnel-tap-" + (isFromA ? "a-to-b" : "b-to-a"));
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void close() throws InterruptedException {
        fromA.close();
        fromB.close();
        for (Thread relay : relays) {
            relay.join(2_000);
        }
    }
}
