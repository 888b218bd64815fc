package io.vcc.datapath.tunnel;

import io.netty.buffer.ByteBuf;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals and opens tunnel datagrams in place with AES-GCM from the JDK. One instance per event-loop
 * thread, because a {@link Cipher} is not thread-safe; the pipeline keeps it in a {@code FastThreadLocal}.
 *
 * <p>Seal and open leave the result in the datagram's own buffer. A heap buffer is worked on in place. A
 * direct buffer (every datagram a socket reads, every tunnel datagram the forwarder builds) goes through two
 * arrays this instance keeps: its body is copied in, sealed or opened array to array, and copied back. That
 * copy of at most one datagram is cheaper than what the JDK 17 GCM does with a direct {@code ByteBuffer}: a
 * duplicate of each buffer and fresh temporary arrays for the counter mode and GHASH on every call, which
 * were a quarter of the bytes the forwarding path allocated per frame. The JDK's cipher still allocates its
 * engine state per datagram (a GCM cipher must be initialised again for every nonce).
 */
public final class TunnelCipher {

    /** Status of {@link #open}: authentic. */
    public static final int OK = 0;
    /** Status of {@link #open}: the tag did not verify (wrong key, forged or corrupted). */
    public static final int AUTH_FAILED = -1;

    private static final int TAG_BITS = TunnelHeader.AUTH_TAG_LENGTH * 8;

    private final Cipher cipher;
    private final byte[] nonce = new byte[12];
    private final byte[] aad = new byte[TunnelHeader.LENGTH];
    // The working copies of a direct buffer's body (see the class comment); they grow once to the longest body.
    private byte[] scratchIn = new byte[2048];
    private byte[] scratchOut = new byte[2048];

    public TunnelCipher() {
        try {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no AES/GCM", e);
        }
    }

    /**
     * Writes the header at {@code offset} and encrypts the {@code plaintextLength} octets after it in place,
     * appending the 16-octet tag; {@code buf} must have room for it.
     */
    public void seal(ByteBuf buf, int offset, int plaintextLength, KeyRing.Slot key, int senderTag, long sequence) {
        buf.setByte(offset, TunnelHeader.VERSION);
        buf.setByte(offset + TunnelHeader.KEY_ID, key.id());
        buf.setShort(offset + TunnelHeader.SENDER_TAG, senderTag);
        buf.setLong(offset + TunnelHeader.SEQUENCE, sequence);
        int body = offset + TunnelHeader.LENGTH;
        try {
            init(Cipher.ENCRYPT_MODE, key, senderTag, sequence, buf, offset);
            if (buf.hasArray()) {
                byte[] array = buf.array();
                int at = buf.arrayOffset() + body;
                cipher.doFinal(array, at, plaintextLength, array, at);
            } else {
                byte[] in = scratchIn(plaintextLength);
                byte[] out = scratchOut(plaintextLength + TunnelHeader.AUTH_TAG_LENGTH);
                buf.getBytes(body, in, 0, plaintextLength);
                int sealed = cipher.doFinal(in, 0, plaintextLength, out, 0);
                buf.setBytes(body, out, 0, sealed);
            }
        } catch (GeneralSecurityException e) {
            // Cannot happen for a valid AES key and a fresh nonce; surfacing it beats sending garbage.
            throw new IllegalStateException("AES-GCM seal failed", e);
        }
    }

    /**
     * Authenticates and decrypts in place the datagram of {@code length} octets at {@code offset} (header
     * included) with {@code key}; on success the plaintext sits right after the header.
     *
     * @return {@link #OK} or {@link #AUTH_FAILED}
     */
    public int open(ByteBuf buf, int offset, int length, KeyRing.Slot key) {
        int senderTag = senderTag(buf, offset);
        long sequence = sequence(buf, offset);
        int body = offset + TunnelHeader.LENGTH;
        int bodyLength = length - TunnelHeader.LENGTH;
        try {
            init(Cipher.DECRYPT_MODE, key, senderTag, sequence, buf, offset);
            if (buf.hasArray()) {
                byte[] array = buf.array();
                int at = buf.arrayOffset() + body;
                cipher.doFinal(array, at, bodyLength, array, at);
            } else {
                byte[] in = scratchIn(bodyLength);
                byte[] out = scratchOut(bodyLength);
                buf.getBytes(body, in, 0, bodyLength);
                int opened = cipher.doFinal(in, 0, bodyLength, out, 0);
                buf.setBytes(body, out, 0, opened);
            }
            return OK;
        } catch (AEADBadTagException e) {
            return AUTH_FAILED;
        } catch (GeneralSecurityException | IllegalStateException e) {
            return AUTH_FAILED;
        }
    }

    private byte[] scratchIn(int length) {
        if (scratchIn.length < length) {
            scratchIn = new byte[length];
        }
        return scratchIn;
    }

    private byte[] scratchOut(int length) {
        if (scratchOut.length < length) {
            scratchOut = new byte[length];
        }
        return scratchOut;
    }

    public static int version(ByteBuf buf, int offset) {
        return buf.getUnsignedByte(offset);
    }

    public static int keyId(ByteBuf buf, int offset) {
        return buf.getUnsignedByte(offset + TunnelHeader.KEY_ID);
    }

    public static int senderTag(ByteBuf buf, int offset) {
        return buf.getUnsignedShort(offset + TunnelHeader.SENDER_TAG);
    }

    public static long sequence(ByteBuf buf, int offset) {
        return buf.getLong(offset + TunnelHeader.SEQUENCE);
    }

    private void init(int mode, KeyRing.Slot key, int senderTag, long sequence, ByteBuf buf, int headerOffset)
            throws GeneralSecurityException {
        nonce[0] = 0;
        nonce[1] = 0;
        nonce[2] = (byte) (senderTag >>> 8);
        nonce[3] = (byte) senderTag;
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (sequence >>> (56 - 8 * i));
        }
        cipher.init(mode, key.key(), new GCMParameterSpec(TAG_BITS, nonce));
        buf.getBytes(headerOffset, aad);
        cipher.updateAAD(aad);
    }
}
