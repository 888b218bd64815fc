package io.vcc.node.transfer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.springframework.stereotype.Component;

/**
 * Push uploads with sendfile: a range of a staged file goes from the page cache to the peer's socket without
 * passing through this JVM (over TLS it is read into a direct buffer and encrypted by BoringSSL instead) (the JDK HTTP client would copy every byte twice on the way, and the node's two
 * cores are what a transfer runs short of). Each upload is one PUT on a connection of its own
 * ({@link PeerConnections}), paced by the node's rate cap, and it answers the peer's response.
 */
@Component
class PeerUploads {

    /** Bytes per file region: small enough to pace and report progress, large enough to cost nothing. */
    private static final int PIECE = 1 << 20;
    /** Regions queued on the connection at once, so the socket never waits for the next. */
    private static final int WINDOW = 4;
    private static final int MAX_ANSWER = 1 << 20;

    private final PeerConnections connections;
    private final RateLimiter limiter;
    private final TransferFaults faults;

    PeerUploads(PeerConnections connections, RateLimiter limiter, TransferFaults faults) {
        this.connections = connections;
        this.limiter = limiter;
        this.faults = faults;
    }

    /** The TLS context for the JDK client's calls to the same peers; null without TLS. */
    javax.net.ssl.SSLContext jdkContext() {
        return connections.jdkContext();
    }

    /** The peer's answer to an upload. */
    record Answer(int status, byte[] body) {
    }

    /**
     * Starts a {@code PUT} of {@code length} bytes of {@code file} from {@code offset} to {@code target}, through
     * {@code proxy} (an HTTP proxy, or null). Never straddles a chunk boundary within one region, so the fault
     * injection can corrupt a chunk's first byte as a bad link would. {@code sent} hears of every region the
     * socket took.
     */
    Upload start(URI target, InetSocketAddress proxy, String authorization, Path file, long offset, long length, int chunkSize,
                 Duration connectTimeout, LongConsumer sent) {
        HttpRequest head = connections.request(HttpMethod.PUT, target, proxy, authorization);
        head.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream")
                .set(HttpHeaderNames.CONTENT_LENGTH, length);
        Upload upload = new Upload(head, file, offset, length, chunkSize, sent);
        ChannelFuture connecting = connections.connect(target, proxy, connectTimeout, true, new HttpObjectAggregator(MAX_ANSWER), upload);
        upload.channel = connecting.channel();
        connecting.addListener(connected -> {
            if (!connected.isSuccess()) {
                upload.answer.completeExceptionally(connected.cause());
            }
        });
        return upload;
    }

    /** One upload under way; all but {@link #answer} and {@link #abort} run on the event loop. */
    final class Upload extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final CompletableFuture<Answer> answer = new CompletableFuture<>();
        private final HttpRequest head;
        private final Path file;
        private final long end;
        private final int chunkSize;
        private final LongConsumer sent;
        private volatile Channel channel;
        private ChannelHandlerContext context;
        private long position;
        private long paced = -1;
        private long readyAt;
        private int inFlight;
        private boolean stopped;
        private Throwable writeFailure;
        private FileChannel source;

        private Upload(HttpRequest head, Path file, long offset, long length, int chunkSize, LongConsumer sent) {
            this.head = head;
            this.file = file;
            this.position = offset;
            this.end = offset + length;
            this.chunkSize = chunkSize;
            this.sent = sent;
        }

        CompletableFuture<Answer> answer() {
            return answer;
        }

        /** Gives the upload up (it stalled, or the transfer stopped): the connection closes, the answer fails. */
        void abort() {
            answer.completeExceptionally(new IOException("The upload of " + file.getFileName() + " was abandoned"));
            Channel open = channel;
            if (open != null) {
                open.close();
            }
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            context = ctx;
            if (answer.isDone()) {
                ctx.close();
                return;
            }
            ctx.write(head);
            pump();
        }

        /** Queues regions while fewer than {@link #WINDOW} are in flight and the rate cap allows. */
        private void pump() {
            while (!stopped && inFlight < WINDOW && position < end) {
                long chunkEnd = (position / chunkSize + 1) * chunkSize;
                int length = (int) Math.min(PIECE, Math.min(chunkEnd, end) - position);
                if (paced != position) {
                    paced = position;
                    long wait = limiter.reserve(length);
                    readyAt = System.nanoTime() + wait;
                    if (wait > 0) {
                        context.executor().schedule(this::pump, wait, TimeUnit.NANOSECONDS);
                    }
                }
                if (System.nanoTime() < readyAt) {
                    break;
                }
                ChannelFuture written = write(position, length);
                position += length;
                inFlight++;
                written.addListener(done -> {
                    inFlight--;
                    if (done.isSuccess()) {
                        sent.accept(length);
                        context.executor().execute(this::pump);
                    } else if (writeFailure == null) {
                        stopped = true;
                        writeFailure = done.cause();
                    }
                });
            }
            if (!stopped && position == end) {
                stopped = true;
                context.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            } else {
                context.flush();
            }
        }

        private ChannelFuture write(long at, int length) {
            if (connections.secure()) {
                return writeThroughTls(at, length);
            }
            if (at % chunkSize == 0 && faults.takeCorruption()) {
                try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                    ByteBuffer first = ByteBuffer.allocate(1);
                    in.read(first, at);
                    context.write(Unpooled.wrappedBuffer(new byte[] {(byte) (first.get(0) ^ 0x5a)}));
                } catch (IOException e) {
                    return context.newFailedFuture(e);
                }
                return context.write(new DefaultFileRegion(file.toFile(), at + 1, length - 1));
            }
            return context.write(new DefaultFileRegion(file.toFile(), at, length));
        }

        /**
         * TLS must see the bytes, so sendfile cannot be used: the region is read into a direct buffer, which
         * BoringSSL encrypts in place on its way out (one copy in this JVM).
         */
        private ChannelFuture writeThroughTls(long at, int length) {
            ByteBuf bytes = context.alloc().directBuffer(length);
            try {
                if (source == null) {
                    source = FileChannel.open(file, StandardOpenOption.READ);
                }
                while (bytes.readableBytes() < length) {
                    if (bytes.writeBytes(source, at + bytes.readableBytes(), length - bytes.readableBytes()) < 0) {
                        throw new IOException(file.getFileName() + " ended before byte " + (at + length));
                    }
                }
                if (at % chunkSize == 0 && faults.takeCorruption()) {
                    bytes.setByte(0, bytes.getByte(0) ^ 0x5a);
                }
            } catch (IOException e) {
                bytes.release();
                return context.newFailedFuture(e);
            }
            return context.write(bytes);
        }

        private void closeSource() {
            if (source != null) {
                try {
                    source.close();
                } catch (IOException ignored) {
                    // read-only; nothing was lost
                }
                source = null;
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            answer.complete(new Answer(response.status().code(), ByteBufUtil.getBytes(response.content())));
            stopped = true;
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            stopped = true;
            closeSource();
            IOException closed = new IOException("The peer closed the connection before it answered the upload of "
                    + file.getFileName());
            if (writeFailure != null) {
                closed.addSuppressed(writeFailure);
            }
            answer.completeExceptionally(closed);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            answer.completeExceptionally(cause);
            ctx.close();
        }
    }
}
