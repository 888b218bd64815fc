package io.vcc.server.cloud;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP addresses as operators and tenants write them, parsed without ever asking DNS. Only the plain forms
 * are accepted: four decimal octets without leading zeros, or an IPv6 address of hex groups (optionally
 * ending in dotted IPv4). {@link InetAddress#getByName} alone would also take {@code 127.1},
 * {@code 2130706433} or a host name, so that what was checked need not be what a node later sends to.
 */
public final class IpLiteral {

    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]*:[0-9A-Fa-f:]*(" + OCTET + "(\\." + OCTET + "){3})?");

    private IpLiteral() {
    }

    /** The address, or empty when the text is not a plain IPv4 or IPv6 literal (no brackets, no zone). */
    public static Optional<InetAddress> parse(String text) {
        if (text == null || text.length() > 45 || !(IPV4.matcher(text).matches() || IPV6.matcher(text).matches())) {
            return Optional.empty();
        }
        try {
            // Only digits, dots, hex and colons reach here, which getByName parses as a literal: no lookup.
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static boolean isV4(InetAddress address) {
        return address instanceof Inet4Address;
    }
}
