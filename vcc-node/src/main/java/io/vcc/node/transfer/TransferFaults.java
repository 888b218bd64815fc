package io.vcc.node.transfer;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Fault injection for tests: corrupt the next N chunks this node sends (serving a download or pushing an
 * upload) after their digests are known, as a bad link would. The receiver must notice and fetch them again.
 */
@Component
public class TransferFaults {

    private final AtomicInteger corruptChunks = new AtomicInteger();
    private final AtomicInteger corrupted = new AtomicInteger();

    public void corruptNextChunks(int chunks) {
        corruptChunks.set(chunks);
    }

    /** How many chunks were corrupted so far. */
    public int corrupted() {
        return corrupted.get();
    }

    boolean takeCorruption() {
        boolean fire = corruptChunks.getAndUpdate(left -> left > 0 ? left - 1 : 0) > 0;
        if (fire) {
            corrupted.incrementAndGet();
        }
        return fire;
    }
}
