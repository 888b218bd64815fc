package io.vcc.node.transfer;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Tells the streams of package files that the node is stopping. An upload or a download now carries the
 * rest of a file in one request, and the web server's graceful shutdown waits for requests in progress;
 * this stops first (the highest phase) so that a receive ends after its current chunk, with what it has
 * committed, and a download ends after its current piece, instead of holding the shutdown until the file
 * is complete. The other node resumes from the checkpoint once this one is back.
 */
@Component
class TransferShutdown implements SmartLifecycle {

    private volatile boolean running;

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    boolean stopping() {
        return !running;
    }
}
