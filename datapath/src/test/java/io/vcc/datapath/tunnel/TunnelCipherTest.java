package io.vcc.datapath.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TunnelCipherTest {

    private static final TunnelKey KEY = new TunnelKey(7, new byte[32]);
    private static final TunnelKey OTHER = new TunnelKey(7, filled(32, (byte) 1));

    @Test
    void sealThenOpenInPlaceOnHeapAndDirectBuffers() {
        Random random = new Random(3);
        KeyRing ring = ring(KEY);
        TunnelCipher cipher = new TunnelCipher();
        for (boolean direct : new boolean[] {false, true}) {
            for (int length : new int[] {0, 1, 15, 16, 17, 64, 1514, 9000}) {
                byte[] plain = new byte[length];
                random.nextBytes(plain);
                ByteBuf buf = direct ? PooledByteBufAllocator.DEFAULT.directBuffer(length + TunnelHeader.OVERHEAD)
                        : Unpooled.buffer(length + TunnelHeader.OVERHEAD);
                buf.setBytes(TunnelHeader.LENGTH, plain);
                long sequence = ring.nextSequence();
                cipher.seal(buf, 0, length, ring.sending(), 108, sequence);
                byte[] sealed = new byte[length];
                buf.getBytes(TunnelHeader.LENGTH, sealed);
                if (length >= 16) {
                    assertThat(sealed).isNotEqualTo(plain);
                }
                assertThat(TunnelCipher.keyId(buf, 0)).isEqualTo(7);
                assertThat(TunnelCipher.senderTag(buf, 0)).isEqualTo(108);
                assertThat(TunnelCipher.sequence(buf, 0)).isEqualTo(sequence);

                assertThat(cipher.open(buf, 0, length + TunnelHeader.OVERHEAD, ring.receiving(7))).isEqualTo(TunnelCipher.OK);
                byte[] opened = new byte[length];
                buf.getBytes(TunnelHeader.LENGTH, opened);
                assertThat(opened).isEqualTo(plain);
                buf.release();
            }
        }
    }

    @Test
    void theWrongKeyOrAnyFlippedBitFailsAuthentication() {
        TunnelCipher cipher = new TunnelCipher();
        KeyRing ring = ring(KEY);
        byte[] datagram = seal(cipher, ring, new byte[100]);
        assertThat(cipher.open(Unpooled.copiedBuffer(datagram), 0, datagram.length, ring(OTHER).receiving(7)))
                .isEqualTo(TunnelCipher.AUTH_FAILED);
        for (int bit = 0; bit < datagram.length * 8; bit += 5) {
            byte[] tampered = datagram.clone();
            tampered[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(cipher.open(Unpooled.copiedBuffer(tampered), 0, tampered.length, ring.receiving(7)))
                    .as("bit %d", bit).isEqualTo(TunnelCipher.AUTH_FAILED);
        }
    }

    @Test
    void aForgedDatagramInADirectBufferFailsAndIsLeftAsItWas() {
        // Sockets hand the cipher direct buffers, and at an offset (a slice of a batch); those go through the
        // cipher's working arrays, which must neither leak one datagram into the next nor write back a forgery.
        TunnelCipher cipher = new TunnelCipher();
        KeyRing ring = ring(KEY);
        byte[] genuine = seal(cipher, ring, filled(1400, (byte) 5));
        byte[] forged = genuine.clone();
        forged[TunnelHeader.LENGTH + 700] ^= 1;
        int offset = 37;
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(offset + forged.length);
        try {
            buf.setBytes(offset, forged);
            assertThat(cipher.open(buf, offset, forged.length, ring.receiving(7))).isEqualTo(TunnelCipher.AUTH_FAILED);
            byte[] after = new byte[forged.length];
            buf.getBytes(offset, after);
            assertThat(after).isEqualTo(forged);

            buf.setBytes(offset, genuine);
            assertThat(cipher.open(buf, offset, genuine.length, ring.receiving(7))).isEqualTo(TunnelCipher.OK);
            byte[] opened = new byte[1400];
            buf.getBytes(offset + TunnelHeader.LENGTH, opened);
            assertThat(opened).isEqualTo(filled(1400, (byte) 5));
        } finally {
            buf.release();
        }
    }

    @Test
    void keyRingKeepsCurrentPreviousAndStaged() {
        KeyRing ring = new KeyRing();
        TunnelKey one = new TunnelKey(1, filled(16, (byte) 1));
        TunnelKey two = new TunnelKey(2, filled(16, (byte) 2));
        TunnelKey three = new TunnelKey(3, filled(16, (byte) 3));
        ring.install(one);
        ring.install(two);
        assertThat(ring.sending().id()).isEqualTo(2);
        assertThat(ring.receiving(1)).isNotNull();
        ring.stage(three);
        assertThat(ring.sending().id()).isEqualTo(2);
        assertThat(ring.receiving(3)).isNotNull();
        ring.install(three);
        assertThat(ring.receiving(1)).as("two rotations ago").isNull();
        assertThat(ring.receiving(2)).isNotNull();
        ring.retirePrevious();
        assertThat(ring.receiving(2)).isNull();
        assertThat(ring.stagedKeyId()).isNull();
        ring.install(three); // idempotent
        assertThatThrownBy(() -> ring.install(new TunnelKey(3, filled(16, (byte) 9)))).hasMessageContaining("another secret");
        assertThat(new TunnelKey(1, new byte[16]).toString()).doesNotContain("0, 0");
    }

    @Test
    void sequencesStartFromTheClockSoARestartedSenderNeverReusesANonce() {
        long before = System.currentTimeMillis() * 1_000_000L;
        assertThat(new KeyRing().nextSequence()).isGreaterThan(before);
    }

    private static byte[] seal(TunnelCipher cipher, KeyRing ring, byte[] plain) {
        ByteBuf buf = Unpooled.buffer(plain.length + TunnelHeader.OVERHEAD);
        buf.setBytes(TunnelHeader.LENGTH, plain);
        cipher.seal(buf, 0, plain.length, ring.sending(), 208, ring.nextSequence());
        byte[] out = new byte[plain.length + TunnelHeader.OVERHEAD];
        buf.getBytes(0, out);
        return out;
    }

    private static KeyRing ring(TunnelKey key) {
        KeyRing ring = new KeyRing();
        ring.install(key);
        return ring;
    }

    private static byte[] filled(int length, byte value) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, value);
        return bytes;
    }
}
