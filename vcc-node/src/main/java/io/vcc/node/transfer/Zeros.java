package io.vcc.node.transfer;

import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Runs of zero bytes, which thin disks are mostly made of: detecting them, and hashing them without reading them. */
final class Zeros {

    private static final byte[] BLOCK = new byte[1 << 20];
    private static final Map<Integer, String> CHUNK_DIGESTS = new ConcurrentHashMap<>();

    private Zeros() {
    }

    static boolean all(byte[] bytes, int length) {
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            if ((bytes[i] | bytes[i + 1] | bytes[i + 2] | bytes[i + 3] | bytes[i + 4] | bytes[i + 5] | bytes[i + 6] | bytes[i + 7]) != 0) {
                return false;
            }
        }
        for (; i < length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The SHA-256 of {@code length} zero bytes, computed once per length. */
    static String sha256(int length) {
        return CHUNK_DIGESTS.computeIfAbsent(length, n -> {
            MessageDigest digest = HashingPipeline.sha256();
            feed(digest, n);
            return HashingPipeline.hex(digest);
        });
    }

    /** Feeds {@code count} zero bytes to the digest. */
    static void feed(MessageDigest digest, long count) {
        for (long left = count; left > 0; left -= BLOCK.length) {
            digest.update(BLOCK, 0, (int) Math.min(BLOCK.length, left));
        }
    }
}
