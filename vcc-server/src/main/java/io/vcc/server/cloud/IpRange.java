package io.vcc.server.cloud;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Optional;

/**
 * A CIDR block such as {@code 10.20.0.0/16} or {@code fd00:20::/48}: what an admin allows a cloud's tenant
 * VTEPs to be. The text is canonical (no host bits set), so that what is stored is what was meant.
 */
public record IpRange(InetAddress network, int prefix) {

    /** The range, or empty when the text is not {@code address/prefix} with the host bits zero. */
    public static Optional<IpRange> parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 0 || !text.substring(slash + 1).matches("[0-9]{1,3}")) {
            return Optional.empty();
        }
        Optional<InetAddress> address = IpLiteral.parse(text.substring(0, slash));
        int prefix = Integer.parseInt(text.substring(slash + 1));
        if (address.isEmpty() || prefix > bits(address.get())) {
            return Optional.empty();
        }
        IpRange range = new IpRange(address.get(), prefix);
        return range.contains(address.get()) && value(address.get()).equals(range.first()) ? Optional.of(range) : Optional.empty();
    }

    public boolean contains(InetAddress address) {
        if (bits(address) != bits(network)) {
            return false;
        }
        return value(address).shiftRight(bits(address) - prefix).equals(value(network).shiftRight(bits(network) - prefix));
    }

    /**
     * Whether the address is this IPv4 range's network or broadcast address (ranges of four and more
     * addresses): a datagram to either reaches every host of the subnet where directed broadcast is on.
     */
    public boolean isSubnetEdge(InetAddress address) {
        if (!IpLiteral.isV4(network) || prefix > 30 || !contains(address)) {
            return false;
        }
        BigInteger value = value(address);
        return value.equals(first()) || value.equals(first().add(BigInteger.ONE.shiftLeft(32 - prefix)).subtract(BigInteger.ONE));
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefix;
    }

    private BigInteger first() {
        int bits = bits(network);
        return value(network).shiftRight(bits - prefix).shiftLeft(bits - prefix);
    }

    private static int bits(InetAddress address) {
        return address.getAddress().length * 8;
    }

    private static BigInteger value(InetAddress address) {
        return new BigInteger(1, address.getAddress());
    }
}
