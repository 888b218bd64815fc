package io.vcc.node.transfer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * An upload's body: a range of a staged file as large buffers, read on demand (the HTTP client's demand is
 * the back-pressure), for {@code HttpRequest.BodyPublishers.fromPublisher}. Buffers never straddle a chunk
 * boundary, so the fault injection can corrupt a chunk's first byte as a bad link would. {@code sent} hears
 * of every buffer handed to the client; {@code throttle} may pause before it.
 */
final class FileRangePublisher implements Flow.Publisher<ByteBuffer> {

    private final Path path;
    private final long offset;
    private final long length;
    private final int chunkSize;
    private final int bufferSize;
    private final BooleanSupplier corruptNextChunk;
    private final LongConsumer throttle;
    private final LongConsumer sent;
    private volatile Range current;

    FileRangePublisher(Path path, long offset, long length, int chunkSize, int bufferSize, BooleanSupplier corruptNextChunk,
                       LongConsumer throttle, LongConsumer sent) {
        this.path = path;
        this.offset = offset;
        this.length = length;
        this.chunkSize = chunkSize;
        this.bufferSize = bufferSize;
        this.corruptNextChunk = corruptNextChunk;
        this.throttle = throttle;
        this.sent = sent;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        Range range = new Range(subscriber);
        current = range;
        subscriber.onSubscribe(range);
    }

    /** Ends the body with {@code error} (the upload stalled): the client then fails the request. */
    void abort(Throwable error) {
        Range range = current;
        if (range != null) {
            range.error = error;
            range.drain();
        }
    }

    private final class Range implements Flow.Subscription {
        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger draining = new AtomicInteger();
        private final AtomicBoolean done = new AtomicBoolean();
        private FileChannel channel;
        private long position = offset;
        private volatile Throwable error;

        Range(Flow.Subscriber<? super ByteBuffer> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                fail(new IllegalArgumentException("non-positive demand " + n));
                return;
            }
            demand.getAndAccumulate(n, (current, more) -> current + more < 0 ? Long.MAX_VALUE : current + more);
            drain();
        }

        @Override
        public void cancel() {
            if (done.compareAndSet(false, true)) {
                close();
            }
        }

        /**
         * Emits while there is demand, one thread at a time: re-entrant or concurrent calls (onNext asking
         * for more, an abort) only make the running loop go round again, so signals stay serialized.
         */
        private void drain() {
            if (draining.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            do {
                if (error != null) {
                    fail(error);
                    return;
                }
                while (!done.get() && demand.get() > 0 && error == null) {
                    if (position >= offset + length) {
                        if (done.compareAndSet(false, true)) {
                            close();
                            subscriber.onComplete();
                        }
                        return;
                    }
                    ByteBuffer buffer;
                    try {
                        buffer = next();
                    } catch (IOException | RuntimeException e) {
                        fail(e);
                        return;
                    }
                    demand.decrementAndGet();
                    subscriber.onNext(buffer);
                }
                missed = draining.addAndGet(-missed);
            } while (missed != 0);
        }

        private ByteBuffer next() throws IOException {
            if (channel == null) {
                channel = FileChannel.open(path, StandardOpenOption.READ);
            }
            long chunkEnd = (position / chunkSize + 1) * chunkSize;
            int want = (int) Math.min(bufferSize, Math.min(chunkEnd, offset + length) - position);
            ByteBuffer buffer = ByteBuffer.allocate(want);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, position + buffer.position()) < 0) {
                    throw new IOException(path.getFileName() + " ended at " + (position + buffer.position()));
                }
            }
            if (position % chunkSize == 0 && corruptNextChunk.getAsBoolean()) {
                buffer.put(0, (byte) (buffer.get(0) ^ 0x5a));
            }
            throttle.accept(want);
            position += want;
            sent.accept(want);
            return buffer.flip();
        }

        private void fail(Throwable e) {
            if (done.compareAndSet(false, true)) {
                close();
                subscriber.onError(e);
            }
        }

        private void close() {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // read-only; nothing to lose
            }
        }
    }
}
