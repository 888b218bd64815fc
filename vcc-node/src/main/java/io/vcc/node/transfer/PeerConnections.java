package io.vcc.node.transfer;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The connections that stream package files between this node and its peers: one event-loop thread for
 * all of them, one connection per request (a file's bytes take seconds to minutes; a handshake is nothing
 * beside that), HTTP/1.1 over TLS ({@link PeerTls}) when it is on, else plain HTTP directly or through the
 * peer's HTTP proxy.
 */
@Component
class PeerConnections implements DisposableBean {

    /** The largest body part the HTTP decoder hands on at once; it slices, so this costs no copy. */
    private static final int MAX_BODY_PART = 1 << 20;

    private final MultiThreadIoEventLoopGroup group =
            new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("peer-stream", true), NioIoHandler.newFactory());
    private final PeerTls tls;

    PeerConnections(PeerTls tls) {
        this.tls = tls;
    }

    /** Whether connections are TLS: then a file's bytes go through the TLS engine, not sendfile. */
    boolean secure() {
        return tls.enabled();
    }

    javax.net.ssl.SSLContext jdkContext() {
        return tls.jdkContext();
    }

    /**
     * Connects to {@code target}'s host, or to {@code proxy} when there is one, with an HTTP client codec
     * before {@code handlers} (this connection's own). With {@code autoRead} off the handler asks for each
     * read (back-pressure). A failed write does not close the connection: the peer's answer may still be
     * waiting to be read.
     */
    ChannelFuture connect(URI target, InetSocketAddress proxy, Duration connectTimeout, boolean autoRead, ChannelHandler... handlers) {
        return new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .option(ChannelOption.AUTO_CLOSE, false)
                .option(ChannelOption.AUTO_READ, autoRead)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(4096, 64 * 1024, 1 << 20))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (tls.enabled()) {
                            channel.pipeline().addLast(tls.handler(channel.alloc(), target.getHost(), port(target)));
                        }
                        channel.pipeline().addLast(new HttpClientCodec(4096, 8192, MAX_BODY_PART)).addLast(handlers);
                    }
                })
                .connect(proxy != null ? proxy : InetSocketAddress.createUnresolved(target.getHost(), port(target)));
    }

    /** A request's head for {@code target}: the absolute URI through a proxy, the path otherwise. */
    HttpRequest request(HttpMethod method, URI target, InetSocketAddress proxy, String authorization) {
        String scheme = tls.enabled() ? "https" : "http";
        if (!scheme.equalsIgnoreCase(target.getScheme())) {
            throw new VccProblemException(ProblemType.VALIDATION, tls.enabled()
                    ? "TLS is on: package files move between nodes over https only, not to " + target
                    : "Package files move between nodes over plain HTTP while TLS is off (vcc.tls.enabled); " + target + " is not");
        }
        if (tls.enabled() && proxy != null) {
            throw new VccProblemException(ProblemType.VALIDATION,
                    "TLS is on: package files do not move through an HTTP proxy; make the peer reachable directly");
        }
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method,
                proxy != null ? target.toString() : target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()));
        head.headers()
                .set(HttpHeaderNames.HOST, target.getHost() + ":" + port(target))
                .set(HttpHeaderNames.AUTHORIZATION, authorization)
                .set(HttpHeaderNames.CONNECTION, "close");
        return head;
    }

    private static int port(URI target) {
        return target.getPort() >= 0 ? target.getPort() : "https".equalsIgnoreCase(target.getScheme()) ? 443 : 80;
    }

    @Override
    public void destroy() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
