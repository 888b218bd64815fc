package io.vcc.node.transfer;

import io.vcc.api.transfer.PackageFile;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Runs of zero bytes, which thin disks are mostly made of: detecting them, and hashing them without reading them. */
final class Zeros {

    private static final byte[] BLOCK = new byte[1 << 20];
    private static final ByteBuffer ZERO_BUFFER = ByteBuffer.allocateDirect(BLOCK.length).asReadOnlyBuffer();
    private static final Map<Integer, String> CHUNK_DIGESTS = new ConcurrentHashMap<>();

    private Zeros() {
    }

    /** Whether the first {@code length} bytes are all zero; compared a block at a time with the JDK's vectorized mismatch. */
    static boolean all(byte[] bytes, int length) {
        for (int from = 0; from < length; from += BLOCK.length) {
            int to = Math.min(length, from + BLOCK.length);
            if (Arrays.mismatch(bytes, from, to, BLOCK, 0, to - from) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether the buffer's remaining bytes are all zero. */
    static boolean all(ByteBuffer bytes) {
        ByteBuffer rest = bytes.duplicate();
        while (rest.hasRemaining()) {
            int n = Math.min(rest.remaining(), BLOCK.length);
            if (rest.slice(rest.position(), n).mismatch(ZERO_BUFFER.slice(0, n)) >= 0) {
                return false;
            }
            rest.position(rest.position() + n);
        }
        return true;
    }

    /** The SHA-256 of {@code length} zero bytes, computed once per length. */
    static String sha256(int length) {
        return CHUNK_DIGESTS.computeIfAbsent(length, n -> {
            MessageDigest digest = ChunkPipeline.sha256();
            feed(digest, n);
            return ChunkPipeline.hex(digest);
        });
    }

    /** Whether the package says chunk {@code index} of {@code file} is all zeros (its digest is that of zeros). */
    static boolean chunk(PackageFile file, int index) {
        return file.chunkSha256().get(index).equals(sha256(file.chunkLength(index)));
    }

    /** Where the first chunk of zeros at or after {@code from} (a chunk boundary) starts; the file's size if none does. */
    static long nextChunk(PackageFile file, long from) {
        for (long position = from; position < file.size(); position += file.chunkSize()) {
            if (chunk(file, (int) (position / file.chunkSize()))) {
                return position;
            }
        }
        return file.size();
    }

    /** Feeds {@code count} zero bytes to the digest. */
    static void feed(MessageDigest digest, long count) {
        for (long left = count; left > 0; left -= BLOCK.length) {
            digest.update(BLOCK, 0, (int) Math.min(BLOCK.length, left));
        }
    }
}
