package io.vcc.datapath.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Property tests of the codec over many seeded-random frames: round trips, truncation, random bytes. */
class EthernetFramesPropertyTest {

    private static final long SEED = 0x5EED_F4A3L;
    private static final int ITERATIONS = 20_000;

    @Test
    void encodeThenDecodeGivesTheSameFrame() {
        Random random = new Random(SEED);
        for (int i = 0; i < ITERATIONS; i++) {
            EthernetFrame frame = randomFrame(random, random.nextInt(5));
            byte[] bytes = frame.toBytes();
            assertThat(bytes).hasSize(frame.length());
            assertThat(EthernetFrame.decode(bytes, 4)).isEqualTo(frame);
        }
    }

    @Test
    void pushingAndPoppingTagsInPlaceRoundTrips() {
        Random random = new Random(SEED + 1);
        for (int i = 0; i < ITERATIONS; i++) {
            EthernetFrame frame = randomFrame(random, random.nextInt(3));
            byte[] bytes = frame.toBytes();
            int headroom = 12 + random.nextInt(8);
            ByteBuf buf = Unpooled.buffer(headroom + bytes.length);
            buf.setBytes(headroom, bytes);
            int pushes = 1 + random.nextInt(3);
            List<Tag> pushed = new ArrayList<>();
            int offset = headroom;
            for (int p = 0; p < pushes; p++) {
                Tag tag = randomTag(random);
                offset = EthernetFrames.pushTag(buf, offset, tag.word());
                pushed.add(0, tag);
            }
            int length = bytes.length + 4 * pushes;
            EthernetFrame tagged = EthernetFrame.decode(buf, offset, length, 8);
            List<Tag> expectedTags = new ArrayList<>(pushed);
            expectedTags.addAll(frame.tags());
            assertThat(tagged).isEqualTo(frame.withTags(expectedTags));
            assertThat(EthernetFrames.tagDepth(buf, offset, length, 8)).isEqualTo(expectedTags.size());

            offset = EthernetFrames.popTags(buf, offset, pushes);
            assertThat(offset).isEqualTo(headroom);
            byte[] back = new byte[bytes.length];
            buf.getBytes(offset, back);
            assertThat(back).isEqualTo(bytes);
        }
    }

    @Test
    void everyTruncationIsReportedNeverReadPast() {
        Random random = new Random(SEED + 2);
        for (int i = 0; i < 2_000; i++) {
            EthernetFrame frame = randomFrame(random, random.nextInt(4));
            byte[] bytes = frame.toBytes();
            int headerEnd = 14 + 4 * frame.tags().size();
            for (int cut = 0; cut <= bytes.length; cut++) {
                // an exact-size buffer: reading one octet past the cut would throw
                ByteBuf buf = Unpooled.wrappedBuffer(bytes, 0, cut);
                int depth = EthernetFrames.tagDepth(buf, 0, cut, 4);
                if (cut < headerEnd) {
                    assertThat(depth).as("cut at %d of %s", cut, frame).isEqualTo(EthernetFrames.TRUNCATED);
                } else {
                    assertThat(depth).isEqualTo(frame.tags().size());
                }
            }
        }
    }

    @Test
    void tooManyTagsAreReportedAsTooDeep() {
        Random random = new Random(SEED + 3);
        for (int i = 0; i < 2_000; i++) {
            int depth = 1 + random.nextInt(6);
            byte[] bytes = randomFrame(random, depth).toBytes();
            int allowed = random.nextInt(depth);
            assertThat(EthernetFrames.tagDepth(Unpooled.wrappedBuffer(bytes), 0, bytes.length, allowed))
                    .isEqualTo(EthernetFrames.TOO_DEEP);
        }
    }

    @Test
    void randomBytesNeverThrow() {
        Random random = new Random(SEED + 4);
        for (int i = 0; i < ITERATIONS * 5; i++) {
            byte[] bytes = new byte[random.nextInt(80)];
            random.nextBytes(bytes);
            if (bytes.length > 13 && random.nextBoolean()) { // make tag stacks likely
                for (int at = 12; at + 1 < bytes.length; at += 4) {
                    int tpid = random.nextBoolean() ? Tag.TPID_8021Q : Tag.TPID_8021AD;
                    bytes[at] = (byte) (tpid >>> 8);
                    bytes[at + 1] = (byte) tpid;
                    if (random.nextInt(4) == 0) {
                        break;
                    }
                }
            }
            ByteBuf buf = Unpooled.wrappedBuffer(bytes);
            assertThatCode(() -> {
                int depth = EthernetFrames.tagDepth(buf, 0, bytes.length, 4);
                assertThat(depth).isBetween(EthernetFrames.TOO_DEEP, 4);
                if (depth >= 0) {
                    EthernetFrame decoded = EthernetFrame.decode(buf, 0, bytes.length, 4);
                    assertThat(decoded.toBytes()).isEqualTo(bytes);
                }
                if (bytes.length >= 8) {
                    Vxlan.vni(buf, 0);
                    Vxlan.hasValidFlags(buf, 0);
                }
            }).doesNotThrowAnyException();
        }
    }

    static EthernetFrame randomFrame(Random random, int depth) {
        List<Tag> tags = new ArrayList<>();
        for (int t = 0; t < depth; t++) {
            tags.add(randomTag(random));
        }
        int etherType;
        do {
            etherType = random.nextInt(0x10000);
        } while (Tag.isTagTpid(etherType));
        byte[] payload = new byte[random.nextInt(100)];
        random.nextBytes(payload);
        return new EthernetFrame(random.nextLong() & 0xFFFF_FFFF_FFFFL, random.nextLong() & 0xFFFF_FFFF_FFFFL, tags,
                etherType, payload);
    }

    static Tag randomTag(Random random) {
        return new Tag(random.nextBoolean() ? Tag.TPID_8021Q : Tag.TPID_8021AD, random.nextInt(8), random.nextBoolean(),
                random.nextInt(4096));
    }
}
