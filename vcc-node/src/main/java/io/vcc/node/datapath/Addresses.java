package io.vcc.node.datapath;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;

/** {@code host:port} strings of the API to socket addresses and back; IPv6 as {@code [addr]:port}. */
final class Addresses {

    private Addresses() {
    }

    /** Resolves now, because the datapath matches sources by address and must not look names up per frame. */
    static InetSocketAddress parse(String hostPort, String what) {
        URI uri;
        try {
            uri = URI.create("udp://" + hostPort.trim());
        } catch (IllegalArgumentException e) {
            throw invalid(what, hostPort);
        }
        if (uri.getHost() == null || uri.getPort() < 0 || uri.getPort() > 65_535 || uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
            throw invalid(what, hostPort);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(uri.getHost()), uri.getPort());
        } catch (UnknownHostException e) {
            throw new VccProblemException(ProblemType.VALIDATION, what + " " + hostPort + " does not resolve");
        }
    }

    static String format(InetSocketAddress address) {
        if (address == null) {
            return null;
        }
        InetAddress ip = address.getAddress();
        String host = ip == null ? address.getHostString() : ip.getHostAddress();
        return (ip instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static VccProblemException invalid(String what, String hostPort) {
        return new VccProblemException(ProblemType.VALIDATION, what + " must be host:port, was " + hostPort);
    }
}
