package io.vcc.node.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Zeros are counted, not read, yet every digest is that of the bytes themselves; a file's trailing zeros stay out of its digest. */
class ChunkHasherTest {

    @Test
    void aChunkOfZerosThenDataHashesAsItsBytesAndTheFileLeavesOutItsTrailingZeros() {
        byte[] zeros = new byte[4];
        byte[] data = {1, 2, 3, 4};
        MessageDigest whole = ChunkPipeline.sha256();
        ChunkHasher hasher = new ChunkHasher(true, whole);

        assertThat(hasher.feed(ByteBuffer.wrap(zeros), true, false, 8)).isNull();
        ChunkHasher.ChunkDigest first = hasher.feed(ByteBuffer.wrap(data), false, true, 8);
        ChunkHasher.ChunkDigest second = hasher.feed(ByteBuffer.wrap(zeros), true, true, 4);

        assertThat(first).isEqualTo(new ChunkHasher.ChunkDigest(sha256(concat(zeros, data)), false));
        assertThat(second).isEqualTo(new ChunkHasher.ChunkDigest(sha256(zeros), true));
        assertThat(ChunkPipeline.hex(whole)).as("the trailing chunk of zeros is not in the file's digest").isEqualTo(sha256(concat(zeros, data)));
    }

    @Test
    void aStageOfTheFileOnlyAnswersNoChunkDigests() {
        MessageDigest whole = ChunkPipeline.sha256();
        ChunkHasher hasher = new ChunkHasher(false, whole);

        assertThat(hasher.feed(ByteBuffer.wrap(new byte[] {5, 6}), false, true, 2)).isNull();
        assertThat(ChunkPipeline.hex(whole)).isEqualTo(sha256(new byte[] {5, 6}));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static String sha256(byte[] bytes) {
        return SourceExport.sha256(bytes);
    }
}
