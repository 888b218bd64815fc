package io.vcc.datapath.frame;

import io.netty.buffer.ByteBuf;

/**
 * The hot-path Ethernet codec: static functions over an offset into a (pooled) {@link ByteBuf}, in the
 * manner of Netty's own codecs. Nothing here allocates, and nothing reads outside
 * {@code [offset, offset + length)}: every function that looks at a frame of untrusted length takes
 * that length and answers a negative status instead of throwing.
 *
 * <p>A frame here is what VXLAN carries: destination MAC, source MAC, zero or more VLAN tags, EtherType,
 * payload; no preamble, no FCS. Tags are pushed and popped in place by moving the twelve address octets
 * over the tag, which is the only part of the frame in front of a tag.
 */
public final class EthernetFrames {

    public static final int ADDRESSES_LENGTH = 12;
    public static final int ETHERTYPE_LENGTH = 2;
    public static final int HEADER_LENGTH = ADDRESSES_LENGTH + ETHERTYPE_LENGTH;
    public static final int TAG_LENGTH = 4;

    /** Status: the frame ends before its header (or a tag it announces) does. */
    public static final int TRUNCATED = -1;
    /** Status: more tags than the caller allows. */
    public static final int TOO_DEEP = -2;

    private EthernetFrames() {
    }

    public static long destination(ByteBuf buf, int offset) {
        return MacAddress.read(buf, offset);
    }

    public static long source(ByteBuf buf, int offset) {
        return MacAddress.read(buf, offset + 6);
    }

    /**
     * Counts the VLAN tags (TPID 0x8100 or 0x88A8) at the start of the frame.
     *
     * @return the depth (0..maxDepth), or {@link #TRUNCATED} when the frame is shorter than its addresses,
     *     tags and EtherType, or {@link #TOO_DEEP} when it carries more than {@code maxDepth} tags
     */
    public static int tagDepth(ByteBuf buf, int offset, int length, int maxDepth) {
        int position = ADDRESSES_LENGTH;
        int depth = 0;
        while (true) {
            if (position + ETHERTYPE_LENGTH > length) {
                return TRUNCATED;
            }
            int type = buf.getUnsignedShort(offset + position);
            if (!Tag.isTagTpid(type)) {
                return depth;
            }
            if (depth == maxDepth) {
                return TOO_DEEP;
            }
            if (position + TAG_LENGTH > length) {
                return TRUNCATED;
            }
            depth++;
            position += TAG_LENGTH;
        }
    }

    /** The {@code index}-th tag word (0 = outermost); the caller has checked the depth. */
    public static int tagWord(ByteBuf buf, int offset, int index) {
        return buf.getInt(offset + ADDRESSES_LENGTH + index * TAG_LENGTH);
    }

    /**
     * Pushes one tag as the new outermost tag, using the four octets in front of the frame.
     *
     * @return the new frame offset, {@code offset - 4}
     */
    public static int pushTag(ByteBuf buf, int offset, int tagWord) {
        int start = offset - TAG_LENGTH;
        moveAddresses(buf, offset, start);
        buf.setInt(start + ADDRESSES_LENGTH, tagWord);
        return start;
    }

    /**
     * Pushes two tags in one move of the addresses: {@code outer} becomes the outermost tag and
     * {@code inner} the one after it.
     *
     * @return the new frame offset, {@code offset - 8}
     */
    public static int pushTags(ByteBuf buf, int offset, int outer, int inner) {
        int start = offset - 2 * TAG_LENGTH;
        moveAddresses(buf, offset, start);
        buf.setInt(start + ADDRESSES_LENGTH, outer);
        buf.setInt(start + ADDRESSES_LENGTH + TAG_LENGTH, inner);
        return start;
    }

    /**
     * Pops the {@code count} outermost tags; the caller has checked that they are there.
     *
     * @return the new frame offset, {@code offset + 4 * count}
     */
    public static int popTags(ByteBuf buf, int offset, int count) {
        int start = offset + count * TAG_LENGTH;
        moveAddresses(buf, offset, start);
        return start;
    }

    // Read both halves before writing either, so that the move is safe although source and target overlap.
    private static void moveAddresses(ByteBuf buf, int from, int to) {
        long first = buf.getLong(from);
        int rest = buf.getInt(from + 8);
        buf.setLong(to, first);
        buf.setInt(to + 8, rest);
    }
}
