package io.vcc.node.transfer;

import java.io.InterruptedIOException;
import org.springframework.stereotype.Component;

/** The node-wide bandwidth cap shared by every transfer: paces callers to {@code vcc.transfers.max-rate} bytes per second. */
@Component
class RateLimiter {

    private final long bytesPerSecond;
    private long nextFreeNanos = System.nanoTime();

    RateLimiter(TransferProperties properties) {
        this.bytesPerSecond = properties.maxRate().toBytes();
    }

    boolean limited() {
        return bytesPerSecond > 0;
    }

    void acquire(long bytes) throws InterruptedIOException {
        long waitNanos = reserve(bytes);
        if (waitNanos > 0) {
            try {
                Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while pacing");
            }
        }
    }

    /** Books {@code bytes} and answers how many nanoseconds to wait before sending them (for callers that must not sleep). */
    long reserve(long bytes) {
        if (bytesPerSecond <= 0) {
            return 0;
        }
        synchronized (this) {
            long now = System.nanoTime();
            long start = Math.max(now, nextFreeNanos);
            nextFreeNanos = start + bytes * 1_000_000_000L / bytesPerSecond;
            return start - now;
        }
    }
}
