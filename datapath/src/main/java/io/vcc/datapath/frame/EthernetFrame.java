package io.vcc.datapath.frame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A whole Ethernet frame as a value, for building frames, tests, captures and snapshots. The forwarding
 * path never makes one: it works on offsets with {@link EthernetFrames}.
 *
 * @param tags outermost first, as on the wire
 */
public record EthernetFrame(long destination, long source, List<Tag> tags, int etherType, byte[] payload) {

    public EthernetFrame {
        tags = List.copyOf(tags);
        payload = payload.clone();
        if (Tag.isTagTpid(etherType) || etherType < 0 || etherType > 0xFFFF) {
            throw new IllegalArgumentException("bad EtherType 0x" + Integer.toHexString(etherType));
        }
    }

    public static EthernetFrame of(String destination, String source, int etherType, byte[] payload, Tag... tags) {
        return new EthernetFrame(MacAddress.parse(destination), MacAddress.parse(source), List.of(tags), etherType, payload);
    }

    public int length() {
        return EthernetFrames.HEADER_LENGTH + tags.size() * EthernetFrames.TAG_LENGTH + payload.length;
    }

    public void encode(ByteBuf out) {
        out.ensureWritable(length());
        int index = out.writerIndex();
        MacAddress.write(out, index, destination);
        MacAddress.write(out, index + 6, source);
        out.writerIndex(index + EthernetFrames.ADDRESSES_LENGTH);
        for (Tag tag : tags) {
            out.writeInt(tag.word());
        }
        out.writeShort(etherType);
        out.writeBytes(payload);
    }

    public byte[] toBytes() {
        ByteBuf buf = ByteBufAllocator.DEFAULT.heapBuffer(length());
        try {
            encode(buf);
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    /**
     * Decodes {@code length} octets at {@code offset}.
     *
     * @throws MalformedFrameException when the frame is truncated or its tag stack is deeper than allowed
     */
    public static EthernetFrame decode(ByteBuf buf, int offset, int length, int maxTagDepth) {
        Objects.checkFromIndexSize(offset, length, buf.capacity());
        int depth = EthernetFrames.tagDepth(buf, offset, length, maxTagDepth);
        if (depth == EthernetFrames.TRUNCATED) {
            throw new MalformedFrameException("truncated frame of " + length + " octets");
        }
        if (depth == EthernetFrames.TOO_DEEP) {
            throw new MalformedFrameException("more than " + maxTagDepth + " tags");
        }
        List<Tag> tags = new ArrayList<>(depth);
        for (int i = 0; i < depth; i++) {
            tags.add(Tag.fromWord(EthernetFrames.tagWord(buf, offset, i)));
        }
        int typeAt = EthernetFrames.ADDRESSES_LENGTH + depth * EthernetFrames.TAG_LENGTH;
        byte[] payload = new byte[length - typeAt - EthernetFrames.ETHERTYPE_LENGTH];
        buf.getBytes(offset + typeAt + EthernetFrames.ETHERTYPE_LENGTH, payload);
        return new EthernetFrame(EthernetFrames.destination(buf, offset), EthernetFrames.source(buf, offset), tags,
                buf.getUnsignedShort(offset + typeAt), payload);
    }

    public static EthernetFrame decode(byte[] bytes, int maxTagDepth) {
        return decode(io.netty.buffer.Unpooled.wrappedBuffer(bytes), 0, bytes.length, maxTagDepth);
    }

    public EthernetFrame withTags(List<Tag> newTags) {
        return new EthernetFrame(destination, source, newTags, etherType, payload);
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EthernetFrame that && destination == that.destination && source == that.source
                && etherType == that.etherType && tags.equals(that.tags) && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(destination, source, tags, etherType, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "EthernetFrame[" + MacAddress.format(source) + " -> " + MacAddress.format(destination) + ", tags=" + tags
                + ", type=0x" + Integer.toHexString(etherType) + ", payload=" + HexFormat.of().formatHex(payload) + "]";
    }

    /** A frame that cannot be decoded; thrown only off the forwarding path. */
    public static final class MalformedFrameException extends IllegalArgumentException {
        public MalformedFrameException(String message) {
            super(message);
        }
    }
}
