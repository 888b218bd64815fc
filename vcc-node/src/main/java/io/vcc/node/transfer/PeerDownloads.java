package io.vcc.node.transfer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Pull downloads: a {@code GET} whose body is read straight from Netty's direct buffers into the receiving
 * pipeline's, one copy in this JVM (the JDK HTTP client made three: into its heap buffers, into the
 * stream's array, into the pipeline). The socket is read only while fewer than {@link #HIGH_WATER} bytes
 * wait, so a slow disk slows the peer rather than filling memory.
 */
@Component
class PeerDownloads {

    private static final long HIGH_WATER = 4 << 20;
    private static final int MAX_ERROR_BODY = 1 << 20;
    private static final Object END = new Object();

    private final PeerConnections connections;

    PeerDownloads(PeerConnections connections) {
        this.connections = connections;
    }

    /** The peer's answer: its status and, unless it is a success, its body. */
    record Head(int status, byte[] errorBody) {
    }

    /** Starts a {@code GET} of {@code target} with {@code headers}; no byte waits longer than {@code readTimeout}. */
    Download start(URI target, InetSocketAddress proxy, String authorization, Map<String, String> headers, Duration connectTimeout,
                   Duration readTimeout) {
        HttpRequest request = connections.request(HttpMethod.GET, target, proxy, authorization);
        headers.forEach((name, value) -> request.headers().set(name, value));
        Download download = new Download(request, readTimeout);
        ChannelFuture connecting = connections.connect(target, proxy, connectTimeout, false, download);
        download.channel = connecting.channel();
        connecting.addListener(connected -> {
            if (!connected.isSuccess()) {
                download.fail(connected.cause());
            }
        });
        return download;
    }

    /** One download: its {@link #head()}, then its body as a pipeline source. Close it to let go of the connection. */
    static final class Download extends ChannelInboundHandlerAdapter implements ChunkPipeline.Source, AutoCloseable {
        private final CompletableFuture<Head> head = new CompletableFuture<>();
        private final LinkedBlockingQueue<Object> parts = new LinkedBlockingQueue<>();
        private final AtomicLong waiting = new AtomicLong();
        private final AtomicBoolean paused = new AtomicBoolean();
        private final HttpRequest request;
        private final Duration readTimeout;
        private volatile Channel channel;
        private volatile boolean closed;
        private int status;
        private ByteArrayOutputStream errorBody;
        private ByteBuf current;
        private boolean ended;

        private Download(HttpRequest request, Duration readTimeout) {
            this.request = request;
            this.readTimeout = readTimeout;
        }

        /** Waits for the response's status (and, for a failure, its body). */
        Head head() throws IOException {
            try {
                return head.get(readTimeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw new SocketTimeoutException("The peer did not answer " + request.uri() + " within " + readTimeout);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the peer");
            }
        }

        @Override
        public int read(ByteBuffer into) throws IOException {
            while (current == null) {
                if (ended) {
                    return -1;
                }
                Object part;
                try {
                    part = parts.poll(readTimeout.toNanos(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while downloading");
                }
                if (part == null) {
                    throw new SocketTimeoutException("No byte of " + request.uri() + " arrived for " + readTimeout);
                } else if (part == END) {
                    ended = true;
                } else if (part instanceof Throwable failure) {
                    throw failure instanceof IOException io ? io : new IOException(failure);
                } else {
                    current = (ByteBuf) part;
                }
            }
            int n = Math.min(current.readableBytes(), into.remaining());
            current.readBytes(into.slice().limit(n));
            into.position(into.position() + n);
            if (!current.isReadable()) {
                current.release();
                current = null;
            }
            if (waiting.addAndGet(-n) < HIGH_WATER && paused.compareAndSet(true, false)) {
                channel.read();
            }
            return n;
        }

        @Override
        public void close() {
            closed = true;
            if (current != null) {
                current.release();
                current = null;
            }
            Channel open = channel;
            if (open != null) {
                // On the event loop, after any part it is about to queue.
                open.close().addListener(done -> release());
            }
        }

        private void release() {
            for (Object part; (part = parts.poll()) != null; ) {
                ReferenceCountUtil.release(part);
            }
        }

        void fail(Throwable cause) {
            head.completeExceptionally(cause);
            parts.add(cause);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(request);
            ctx.read();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            try {
                if (message instanceof HttpResponse response) {
                    status = response.status().code();
                    if (status >= 200 && status < 300) {
                        head.complete(new Head(status, null));
                    } else {
                        errorBody = new ByteArrayOutputStream();
                    }
                }
                if (message instanceof HttpContent content) {
                    ByteBuf bytes = content.content();
                    if (errorBody != null) {
                        bytes.readBytes(errorBody, Math.min(bytes.readableBytes(), MAX_ERROR_BODY - errorBody.size()));
                    } else if (bytes.isReadable() && !closed) {
                        waiting.addAndGet(bytes.readableBytes());
                        parts.add(bytes.retain());
                    }
                    if (content instanceof LastHttpContent) {
                        if (errorBody != null) {
                            head.complete(new Head(status, errorBody.toByteArray()));
                        }
                        parts.add(END);
                    }
                }
            } catch (IOException e) {
                fail(e);
            } finally {
                ReferenceCountUtil.release(message);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (waiting.get() < HIGH_WATER || errorBody != null) {
                ctx.read();
                return;
            }
            // The reader resumes reading once it has taken enough; look again in case it just did.
            paused.set(true);
            if (waiting.get() < HIGH_WATER && paused.compareAndSet(true, false)) {
                ctx.read();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail(new IOException("The peer closed the connection before the end of " + request.uri()));
            if (closed) {
                release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(cause);
            ctx.close();
        }
    }
}
