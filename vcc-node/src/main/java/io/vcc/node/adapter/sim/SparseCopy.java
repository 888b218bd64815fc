package io.vcc.node.adapter.sim;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Copies a file block by block, skipping blocks of zeros so that they stay holes in the copy. */
final class SparseCopy {

    private static final int BLOCK = 1 << 20;

    private SparseCopy() {
    }

    static void copy(Path source, Path target) throws IOException {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long size = in.size();
            ByteBuffer buffer = ByteBuffer.allocateDirect(BLOCK);
            for (long position = 0; position < size; position += BLOCK) {
                buffer.clear();
                while (buffer.hasRemaining() && in.read(buffer, position + buffer.position()) > 0) {
                    // fill the block
                }
                buffer.flip();
                if (!zeros(buffer)) {
                    out.write(buffer, position);
                }
            }
            if (out.size() < size) {
                // A trailing hole: write the last byte so the copy has the original's length.
                out.write(ByteBuffer.wrap(new byte[1]), size - 1);
            }
            out.force(true);
        }
    }

    private static boolean zeros(ByteBuffer block) {
        int i = block.position();
        int end = block.limit();
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            if (block.getLong(i) != 0) {
                return false;
            }
        }
        for (; i < end; i++) {
            if (block.get(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
