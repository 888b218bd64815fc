package io.vcc.node.upload;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.packaging.PackageProperties;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongBinaryOperator;
import org.springframework.stereotype.Component;

/**
 * Appends one request's body to a staged file and commits what is durable: fsync, then the offset moves in the
 * database, at least every {@code vcc.packages.commit-interval} and at the end of the request, also one cut short.
 */
@Component
class DurableAppend {

    private final PackageProperties properties;

    DurableAppend(PackageProperties properties) {
        this.properties = properties;
    }

    /** Where one request's bytes go: a staged file of {@code length} bytes, durable up to {@code offset}. */
    record Destination(String what, Path file, long length, long offset, LongBinaryOperator commit, Inspection inspection) {
    }

    /** Looks at what is durable so far; refuses by throwing. */
    interface Inspection {
        void inspect(long committed) throws IOException;
    }

    /** Writes the body from the destination's offset; answers the committed offset. */
    long receive(Destination to, InputStream body) throws IOException {
        long interval = properties.commitInterval().toBytes();
        long position = to.offset();
        long committed = to.offset();
        boolean refused = false;
        boolean brokeOff = false;
        if (!Files.exists(to.file())) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "The " + to.what() + " lost its staged bytes; delete the "
                    + "upload and start again");
        }
        FileChannel out = FileChannel.open(to.file(), StandardOpenOption.WRITE);
        try {
            // Bytes a cut request wrote past its last commit are not vouched for: they are written again.
            out.truncate(position);
            byte[] buffer = new byte[256 * 1024];
            while (position < to.length() && !brokeOff) {
                // Fill the buffer before writing: a socket hands out a few KiB per read.
                int wanted = (int) Math.min(buffer.length, to.length() - position);
                int filled = 0;
                boolean ended = false;
                while (filled < wanted) {
                    int n;
                    try {
                        n = body.read(buffer, filled, wanted - filled);
                    } catch (IOException cut) {
                        brokeOff = true;
                        break;
                    }
                    if (n < 0) {
                        ended = true;
                        break;
                    }
                    filled += n;
                }
                ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, filled);
                while (bytes.hasRemaining()) {
                    position += out.write(bytes, position);
                }
                if (position - committed >= interval) {
                    committed = durable(out, to, committed, position);
                    to.inspection().inspect(committed);
                }
                if (ended) {
                    break;
                }
            }
            if (position == to.length() && !brokeOff && moreAfter(body)) {
                throw new VccProblemException(ProblemType.VALIDATION, "The body goes beyond the length of " + to.length()
                        + " of " + to.what());
            }
        } catch (VccProblemException e) {
            refused = e.type() != ProblemType.VALIDATION;
            throw e;
        } finally {
            if (!refused && position > committed) {
                committed = durable(out, to, committed, position);
            }
            out.close();
        }
        if (brokeOff) {
            // The sender is gone (a cut connection); the offset it will ask for is what is durable now.
            throw new VccProblemException(ProblemType.MALFORMED_REQUEST, "The body of the " + to.what()
                    + " broke off; continue at offset " + committed);
        }
        to.inspection().inspect(committed);
        return committed;
    }

    private static boolean moreAfter(InputStream body) {
        try {
            return body.read() >= 0;
        } catch (IOException cut) {
            return false;
        }
    }

    private static long durable(FileChannel out, Destination to, long committed, long position) throws IOException {
        out.force(false);
        return to.commit().applyAsLong(committed, position);
    }
}
