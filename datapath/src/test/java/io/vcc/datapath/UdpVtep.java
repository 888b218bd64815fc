package io.vcc.datapath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/** A test's stand-in for a VTEP of a local cloud: a plain UDP socket on loopback. */
final class UdpVtep implements AutoCloseable {

    private final DatagramSocket socket;

    UdpVtep() {
        this(InetAddress.getLoopbackAddress());
    }

    UdpVtep(InetAddress address) {
        try {
            socket = new DatagramSocket(new InetSocketAddress(address, 0));
            socket.setSoTimeout(5_000);
            socket.setReceiveBufferSize(4 << 20);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    void send(byte[] datagram, InetSocketAddress to) {
        try {
            socket.send(new DatagramPacket(datagram, datagram.length, to));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next datagram, or null when none came within the socket's timeout (a bound, not a measurement). */
    byte[] receive() {
        byte[] buffer = new byte[65_535];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(packet);
            return Arrays.copyOf(buffer, packet.getLength());
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whatever is already queued, without waiting for more. */
    byte[] poll() {
        try {
            socket.setSoTimeout(1);
            return receive();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                socket.setSoTimeout(5_000);
            } catch (IOException ignored) {
                // the socket is closing
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
