package io.vcc.datapath.frame;

import io.netty.buffer.ByteBuf;

/**
 * MAC addresses as the low 48 bits of a {@code long}, so that the datapath can read, compare and hash
 * them without allocating.
 */
public final class MacAddress {

    public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    private MacAddress() {
    }

    /** Reads six octets at {@code index}; the caller has checked the bounds. */
    public static long read(ByteBuf buf, int index) {
        return ((long) buf.getUnsignedShort(index) << 32) | buf.getUnsignedInt(index + 2);
    }

    public static void write(ByteBuf buf, int index, long mac) {
        buf.setShort(index, (int) (mac >>> 32));
        buf.setInt(index + 2, (int) mac);
    }

    /** The I/G bit: set for multicast and broadcast, which are never learned as a location. */
    public static boolean isGroup(long mac) {
        return (mac & 0x0100_0000_0000L) != 0;
    }

    public static long parse(String text) {
        String[] octets = text.split("[:-]");
        if (octets.length != 6) {
            throw new IllegalArgumentException("a MAC address has six octets: " + text);
        }
        long mac = 0;
        for (String octet : octets) {
            int value = Integer.parseInt(octet, 16);
            if (octet.length() > 2 || value < 0 || value > 0xFF) {
                throw new IllegalArgumentException("not a MAC octet: " + octet + " in " + text);
            }
            mac = (mac << 8) | value;
        }
        return mac;
    }

    public static String format(long mac) {
        StringBuilder text = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            if (shift != 40) {
                text.append(':');
            }
            int octet = (int) (mac >>> shift) & 0xFF;
            text.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
        }
        return text.toString();
    }
}
