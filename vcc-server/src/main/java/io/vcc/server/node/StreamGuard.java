package io.vcc.server.node;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Watches one streaming call to a node for a node that stops answering: while the calling thread waits on the
 * node (for its answer, or for the next bytes of its answer's body) and no byte moves for longer than the
 * limit, the guard gives up on the node: it interrupts the caller, which makes the HTTP client drop the
 * exchange (the node sees the body break off and keeps what it made durable), and closes the answer's body,
 * which makes a read blocked on it fail (an interrupt does not reach that read).
 * Time spent waiting on our own client (reading the body a user uploads, writing what the node sent to the
 * user) is not the node's and is not counted.
 */
final class StreamGuard implements AutoCloseable {

    interface NodeCall<T> {
        T run() throws IOException, InterruptedException;
    }

    private final Thread caller = Thread.currentThread();
    private final long idleNanos;
    private final ScheduledFuture<?> check;
    private final AtomicInteger clientReads = new AtomicInteger();
    private volatile long since = System.nanoTime();
    private long limitNanos;
    private boolean waiting;
    private boolean expired;
    private long expiredAfterNanos;
    private volatile InputStream nodeBody;

    StreamGuard(ScheduledExecutorService timer, Duration idle) {
        this.idleNanos = idle.toNanos();
        long tick = Math.max(10, Math.min(1000, idle.toMillis() / 4));
        this.check = timer.scheduleWithFixedDelay(this::check, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code call}, which waits on the node, ending it when nothing moves for {@code limit}. */
    <T> T await(Duration limit, NodeCall<T> call) throws IOException, InterruptedException {
        watch(limit.toNanos());
        try {
            return call.run();
        } finally {
            unwatch();
        }
    }

    /**
     * The body our client sends, read by the HTTP client as the node takes it: each byte read is progress. Once
     * the guard has given up, reading fails, so that the HTTP client aborts the exchange and closes the
     * connection instead of forwarding the rest should the node come back (an interrupt alone does not stop it).
     */
    InputStream fromClient(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (expired()) {
                    throw timeout();
                }
                clientReads.incrementAndGet();
                int n;
                try {
                    n = super.read(buffer, offset, length);
                } finally {
                    clientReads.decrementAndGet();
                    progress();
                }
                if (expired()) {
                    throw timeout();
                }
                return n;
            }
        };
    }

    /** The node's answer body: a read that waits longer than the idle limit fails; closing it ends the guard. */
    InputStream fromNode(InputStream in) {
        nodeBody = in;
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                return watched(() -> super.read());
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                return watched(() -> super.read(buffer, offset, length));
            }

            private int watched(NodeCall<Integer> read) throws IOException {
                int n;
                try {
                    n = expired() ? -1 : await(Duration.ofNanos(idleNanos), read);
                } catch (InterruptedException e) {
                    if (!expired()) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException("interrupted while reading the node's answer");
                    }
                    n = -1;
                } catch (IOException e) {
                    if (!expired()) {
                        throw e;
                    }
                    n = -1;
                }
                if (expired()) {
                    Thread.interrupted();
                    throw timeout();
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    StreamGuard.this.close();
                }
            }
        };
    }

    synchronized boolean expired() {
        return expired;
    }

    /** What the caller throws once the guard gave up: names how long the node was silent. */
    synchronized HttpTimeoutException timeout() {
        return new HttpTimeoutException("the node sent and took nothing for " + Duration.ofNanos(expiredAfterNanos));
    }

    private void progress() {
        since = System.nanoTime();
    }

    private synchronized void watch(long limit) {
        limitNanos = limit;
        waiting = true;
        progress();
    }

    private synchronized void unwatch() {
        waiting = false;
        progress();
    }

    private void check() {
        synchronized (this) {
            if (!waiting || expired || clientReads.get() > 0 || System.nanoTime() - since <= limitNanos) {
                return;
            }
            expired = true;
            expiredAfterNanos = limitNanos;
            caller.interrupt();
        }
        InputStream body = nodeBody;
        if (body != null) {
            try {
                body.close();
            } catch (IOException ignored) {
                // the read it was blocking fails either way
            }
        }
    }

    /** Stops watching; the caller's interrupt, if the guard made one, is taken back so it hits nothing else. */
    @Override
    public void close() {
        check.cancel(false);
        synchronized (this) {
            waiting = false;
            if (expired && Thread.currentThread() == caller) {
                Thread.interrupted();
            }
        }
    }
}
