package io.vcc.node.transfer;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
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
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Push uploads with sendfile: a range of a staged file goes from the page cache to the peer's socket without
 * passing through this JVM (the JDK HTTP client would copy every byte twice on the way, and the node's two
 * cores are what a transfer runs short of). One event-loop thread serves every upload; each upload is one
 * PUT on a connection of its own, paced by the node's rate cap, and it answers the peer's response.
 */
@Component
class PeerUploads implements DisposableBean {

    /** Bytes per file region: small enough to pace and report progress, large enough to cost nothing. */
    private static final int PIECE = 1 << 20;
    /** Regions queued on the connection at once, so the socket never waits for the next. */
    private static final int WINDOW = 4;
    private static final int MAX_ANSWER = 1 << 20;

    private final MultiThreadIoEventLoopGroup group =
            new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("peer-upload", true), NioIoHandler.newFactory());
    private final RateLimiter limiter;
    private final TransferFaults faults;

    PeerUploads(RateLimiter limiter, TransferFaults faults) {
        this.limiter = limiter;
        this.faults = faults;
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
        if (!"http".equalsIgnoreCase(target.getScheme())) {
            throw new VccProblemException(ProblemType.VALIDATION, "Uploads to peers speak plain HTTP; " + target.getScheme()
                    + " is not supported (put TLS in an HTTP proxy between the nodes instead)");
        }
        int port = target.getPort() < 0 ? 80 : target.getPort();
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT,
                proxy != null ? target.toString() : target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()));
        head.headers()
                .set(HttpHeaderNames.HOST, target.getHost() + ":" + port)
                .set(HttpHeaderNames.AUTHORIZATION, authorization)
                .set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream")
                .set(HttpHeaderNames.CONTENT_LENGTH, length)
                .set(HttpHeaderNames.CONNECTION, "close");
        Upload upload = new Upload(head, file, offset, length, chunkSize, sent);
        ChannelFuture connecting = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                // A failed write must not close the connection: the peer's answer (a corrupt chunk, say) may
                // be waiting to be read.
                .option(ChannelOption.AUTO_CLOSE, false)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_ANSWER), upload);
                    }
                })
                .connect(proxy != null ? proxy : InetSocketAddress.createUnresolved(target.getHost(), port));
        upload.channel = connecting.channel();
        connecting.addListener(connected -> {
            if (!connected.isSuccess()) {
                upload.answer.completeExceptionally(connected.cause());
            }
        });
        return upload;
    }

    @Override
    public void destroy() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
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

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            answer.complete(new Answer(response.status().code(), ByteBufUtil.getBytes(response.content())));
            stopped = true;
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            stopped = true;
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
