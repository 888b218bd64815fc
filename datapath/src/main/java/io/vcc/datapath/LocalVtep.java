package io.vcc.datapath;

import java.net.InetSocketAddress;

/** A VTEP of the local cloud on one segment: a place a MAC address can be learned at. */
final class LocalVtep {

    final InetSocketAddress address;

    LocalVtep(InetSocketAddress address) {
        this.address = address;
    }

    @Override
    public String toString() {
        return "vtep " + address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
