package io.vcc.datapath.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Offers VXLAN datagrams to a path and counts what comes out of it, on one epoll event loop of its own:
 * several sending sockets (so that SO_REUSEPORT on the receiving side sees several flows), one sink socket.
 * It keeps a fixed window of datagrams in flight, so it runs at the rate the path sustains without
 * overrunning it; when nothing has arrived for 200 ms the frames in flight are written off as lost.
 * With a window of one and a timestamp in each frame it measures one-way latency instead.
 */
final class LoadGenerator implements AutoCloseable {

    static final int TIMESTAMP_OFFSET = 8 + 14; // VXLAN header, Ethernet header: the first payload octets

    private final MultiThreadIoEventLoopGroup group =
            new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("bench-load", true), EpollIoHandler.newFactory());
    private final EventLoop loop = group.next();
    private final Channel[] senders;
    private final Channel sink;

    // touched by the loop thread only, read by the main thread between phases
    private volatile long sent;
    private volatile long received;
    private volatile long lost;
    private long[] latencies = new long[0];
    private int latencyCount;
    private boolean running;
    private boolean timestamps;
    private int window;
    private ByteBuf template;
    private InetSocketAddress target;
    private long receivedAtLastCheck;

    LoadGenerator(InetAddress sendFrom, InetAddress sinkAt, int flows) throws InterruptedException {
        senders = new Channel[flows];
        for (int i = 0; i < flows; i++) {
            senders[i] = bootstrap(new ChannelInboundHandlerAdapter()).bind(new InetSocketAddress(sendFrom, 0)).sync().channel();
        }
        sink = bootstrap(new SinkHandler()).bind(new InetSocketAddress(sinkAt, 0)).sync().channel();
        loop.scheduleAtFixedRate(this::unstall, 200, 200, TimeUnit.MILLISECONDS);
    }

    private Bootstrap bootstrap(ChannelInboundHandlerAdapter handler) {
        return new Bootstrap().group(loop).channel(EpollDatagramChannel.class)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.SO_RCVBUF, 4 << 20).option(ChannelOption.SO_SNDBUF, 4 << 20)
                .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 2048)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(2048 * 64))
                .handler(handler);
    }

    InetSocketAddress sinkAddress() {
        return (InetSocketAddress) sink.localAddress();
    }

    InetSocketAddress[] senderAddresses() {
        return Arrays.stream(senders).map(c -> (InetSocketAddress) c.localAddress()).toArray(InetSocketAddress[]::new);
    }

    /** Counters at one instant. */
    record Counts(long sent, long received, long lost) {
    }

    Counts counts() {
        return call(() -> new Counts(sent, received, lost));
    }

    /** Starts offering {@code datagram} to {@code to} with {@code window} in flight. */
    void start(byte[] datagram, InetSocketAddress to, int windowSize, boolean stampTime) {
        call(() -> {
            template = Unpooled.directBuffer(datagram.length).writeBytes(datagram);
            target = to;
            window = windowSize;
            timestamps = stampTime;
            latencies = new long[stampTime ? 1 << 20 : 0];
            latencyCount = 0;
            sent = 0;
            received = 0;
            lost = 0;
            receivedAtLastCheck = 0;
            running = true;
            refill();
            return null;
        });
    }

    /** Stops offering and waits for what is in flight (at most 200 ms). */
    void stop() throws InterruptedException {
        call(() -> {
            running = false;
            return null;
        });
        Thread.sleep(200);
        call(() -> {
            if (template != null) {
                template.release();
                template = null;
            }
            return null;
        });
    }

    long[] latencies() {
        return call(() -> Arrays.copyOf(latencies, latencyCount));
    }

    private void refill() {
        if (!running) {
            return;
        }
        long s = sent;
        long limit = received + lost + window;
        boolean wrote = false;
        while (s < limit) {
            Channel channel = senders[(int) (s % senders.length)];
            ByteBuf datagram;
            if (timestamps) {
                datagram = template.copy();
                datagram.setLong(TIMESTAMP_OFFSET, System.nanoTime());
            } else {
                datagram = template.retainedDuplicate();
            }
            channel.write(new DatagramPacket(datagram, target), channel.voidPromise());
            s++;
            wrote = true;
        }
        sent = s;
        if (wrote) {
            for (Channel channel : senders) {
                channel.flush();
            }
        }
    }

    private void unstall() {
        long r = received;
        if (running && r == receivedAtLastCheck && sent > r + lost) {
            lost = sent - r;
            receivedAtLastCheck = r;
            refill();
        }
        receivedAtLastCheck = r;
    }

    private final class SinkHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            DatagramPacket packet = (DatagramPacket) msg;
            try {
                if (timestamps && latencyCount < latencies.length && packet.content().readableBytes() >= TIMESTAMP_OFFSET + 8) {
                    ByteBuf content = packet.content();
                    latencies[latencyCount++] = System.nanoTime() - content.getLong(content.readerIndex() + TIMESTAMP_OFFSET);
                }
                received++;
            } finally {
                packet.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            refill();
        }
    }

    private <T> T call(Callable<T> task) {
        try {
            return loop.submit(task).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (Channel channel : senders) {
            channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        sink.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
