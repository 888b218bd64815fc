package io.vcc.datapath.frame;

import io.netty.buffer.ByteBuf;

/**
 * The VXLAN header of RFC 7348: flags (I = 0x08), 24 reserved bits, the 24-bit VNI, 8 reserved bits.
 */
public final class Vxlan {

    public static final int HEADER_LENGTH = 8;
    public static final int FLAG_I = 0x08;
    public static final int IANA_PORT = 4789;
    public static final int MAX_VNI = 0xFF_FFFF;

    private Vxlan() {
    }

    /**
     * RFC 7348 only asks a receiver to ignore reserved flag bits; this is stricter on purpose: a set reserved
     * bit here means an extension (GBP 0x80, GPE 0x04 with its own next protocol) whose payload is not
     * plainly an Ethernet frame, so forwarding it as one would be wrong. Reserved fields after the flags are
     * ignored as the RFC says.
     */
    public static boolean hasValidFlags(ByteBuf buf, int offset) {
        return buf.getUnsignedByte(offset) == FLAG_I;
    }

    public static int vni(ByteBuf buf, int offset) {
        return buf.getUnsignedMedium(offset + 4);
    }

    public static void writeHeader(ByteBuf buf, int offset, int vni) {
        buf.setInt(offset, FLAG_I << 24);
        buf.setInt(offset + 4, vni << 8);
    }

    /** A whole VXLAN datagram payload (header and frame), for tests and tools. */
    public static byte[] encapsulate(int vni, byte[] frame) {
        byte[] out = new byte[HEADER_LENGTH + frame.length];
        out[0] = FLAG_I;
        out[4] = (byte) (vni >>> 16);
        out[5] = (byte) (vni >>> 8);
        out[6] = (byte) vni;
        System.arraycopy(frame, 0, out, HEADER_LENGTH, frame.length);
        return out;
    }
}
