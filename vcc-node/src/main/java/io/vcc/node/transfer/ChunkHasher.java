package io.vcc.node.transfer;

import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * A hash stage of the {@link ChunkPipeline}: the chunks' digests, the file's ({@code whole}, may be null), or both,
 * fed a chunk's pieces in order. Zeros wait as a count until data follows them in the chunk (and in the file), so
 * a chunk of zeros costs no hashing and trailing zeros stay out of the file's digest, as a thin file leaves them out.
 */
final class ChunkHasher {

    /** A chunk's digest; {@code zero} when all its bytes were zero. */
    record ChunkDigest(String sha256, boolean zero) {
    }

    private final boolean chunks;
    private final MessageDigest whole;
    private MessageDigest chunkDigest = ChunkPipeline.sha256();
    private long chunkZeros;
    private boolean chunkHasData;
    private long wholeZeros;

    ChunkHasher(boolean chunks, MessageDigest whole) {
        this.chunks = chunks;
        this.whole = whole;
    }

    /**
     * Feeds the next piece of a chunk of {@code chunkLength} bytes ({@code zero}: all its bytes are zero); at the
     * chunk's {@code last} piece answers its digest, or null when this stage takes no chunk digests.
     */
    ChunkDigest feed(ByteBuffer piece, boolean zero, boolean last, int chunkLength) {
        ByteBuffer bytes = piece.duplicate();
        if (zero) {
            if (chunks && chunkHasData) {
                chunkDigest.update(bytes);
            } else {
                chunkZeros += piece.remaining();
            }
            wholeZeros += piece.remaining();
        } else {
            if (!chunkHasData) {
                if (chunks) {
                    Zeros.feed(chunkDigest, chunkZeros);
                }
                chunkHasData = true;
            }
            if (whole != null) {
                Zeros.feed(whole, wholeZeros);
                whole.update(bytes.duplicate());
            }
            wholeZeros = 0;
            if (chunks) {
                chunkDigest.update(bytes);
            }
        }
        if (!last) {
            return null;
        }
        ChunkDigest digest = null;
        if (chunks) {
            digest = new ChunkDigest(chunkHasData ? ChunkPipeline.hex(chunkDigest) : Zeros.sha256(chunkLength), !chunkHasData);
            chunkDigest = ChunkPipeline.sha256();
        }
        if (chunkHasData && whole != null) {
            Zeros.feed(whole, wholeZeros);
            wholeZeros = 0;
        }
        chunkZeros = 0;
        chunkHasData = false;
        return digest;
    }
}
