package io.vcc.datapath;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.vcc.datapath.frame.MacAddress;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's layer-2 datapath, running. Start it with {@link #start(DatapathConfig)}, program it through
 * {@link #tagMap()} and {@link #tunnelKeys()} (live, while traffic flows), read it through
 * {@link #snapshot()} and {@link #metrics()}, and {@link #close()} it.
 *
 * <p>It listens on two UDP ports: VXLAN from the local cloud's VTEPs, and the encrypted tunnel from peer
 * nodes. With epoll every event loop binds both ports itself (SO_REUSEPORT, so the kernel spreads flows
 * across loops), reads with recvmmsg and sends each read batch with one sendmmsg, runs of equal datagrams
 * to one recipient as one UDP GSO send ({@link DatagramTrain}); elsewhere it runs on NIO with a single loop.
 * How a loop waits for work is {@link SpinBeforeSleep}.
 */
public final class Datapath implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Datapath.class);

    private final DatapathConfig config;
    private final DatapathCounters counters;
    private final TunnelKeys tunnelKeys;
    private final TagMap tagMap;
    private final DatapathMetrics metrics;
    private final MultiThreadIoEventLoopGroup group;
    private final List<Channel> channels = new ArrayList<>();
    private final String transport;
    private final int loops;
    private InetSocketAddress localVtepAddress;
    private InetSocketAddress tunnelAddress;

    private Datapath(DatapathConfig config, boolean epoll) {
        this.config = config;
        this.counters = new DatapathCounters();
        this.tunnelKeys = new TunnelKeys();
        this.tagMap = new TagMap(config, counters, tunnelKeys);
        this.metrics = new DatapathMetrics(counters);
        this.transport = epoll ? "epoll" : "nio";
        this.loops = epoll ? config.eventLoops() : 1;
        SelectStrategyFactory waiting = SpinBeforeSleep.factory(config.spinBeforeSleep().toNanos());
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory(0, waiting)
                : NioIoHandler.newFactory(SelectorProvider.provider(), waiting);
        this.group = new MultiThreadIoEventLoopGroup(loops, new DefaultThreadFactory("vcc-datapath", true), io);
    }

    /**
     * Binds both ports and starts forwarding. The tag map starts empty: until segments are put in it, every
     * frame is dropped as {@link DropReason#UNKNOWN_SEGMENT}.
     *
     * @throws IllegalStateException when a port cannot be bound, or epoll was demanded and is missing
     */
    public static Datapath start(DatapathConfig config) {
        boolean epoll = switch (config.transport()) {
            case AUTO -> Epoll.isAvailable();
            case EPOLL -> {
                Epoll.ensureAvailability();
                yield true;
            }
            case NIO -> false;
        };
        Datapath datapath = new Datapath(config, epoll);
        try {
            datapath.bind(epoll);
        } catch (RuntimeException | InterruptedException e) {
            datapath.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("datapath could not start on " + config.localVtep() + " and "
                    + config.tunnel() + ": " + e.getMessage(), e);
        }
        log.info("datapath started: {} with {} event loop(s), local VTEP side {}, tunnel {}, datacenter tag {}",
                datapath.transport, datapath.loops, datapath.localVtepAddress, datapath.tunnelAddress,
                config.datacenterTag());
        return datapath;
    }

    private void bind(boolean epoll) throws InterruptedException {
        FrameForwarder forwarder = new FrameForwarder(config, tagMap, counters);
        int datagramSize = forwarder.maxDatagram() + 1; // one more octet, so that a longer datagram shows as oversize
        InetSocketAddress local = epoll ? unshared(config.localVtep()) : config.localVtep();
        InetSocketAddress tunnel = epoll ? unshared(config.tunnel()) : config.tunnel();
        boolean gso = epoll && config.udpGso() && EpollDatagramChannel.isSegmentedDatagramPacketSupported();
        for (EventExecutor executor : group) {
            EventLoop loop = (EventLoop) executor;
            LoopEgress egress = new LoopEgress(gso);
            // GRO only where datagrams arrive in runs: peers send their tunnel datagrams as GSO runs, while the
            // local VTEPs' VXLAN comes one by one and is read fastest with recvmmsg.
            Channel localChannel = bindOne(epoll, loop, local, datagramSize, false,
                    new DatagramHandler(DatagramHandler.Side.LOCAL, forwarder, egress, counters));
            Channel tunnelChannel = bindOne(epoll, loop, tunnel, datagramSize, config.udpGro(),
                    new DatagramHandler(DatagramHandler.Side.TUNNEL, forwarder, egress, counters));
            egress.attach(localChannel, tunnelChannel);
            // The port bound, for NIO when the configured port is 0 (with epoll it is known before).
            local = (InetSocketAddress) localChannel.localAddress();
            tunnel = (InetSocketAddress) tunnelChannel.localAddress();
        }
        localVtepAddress = local;
        tunnelAddress = tunnel;
        for (Channel channel : channels) {
            channel.config().setAutoRead(true);
        }
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(100), config.macAgeing().toNanos() / 2);
        group.next().scheduleAtFixedRate(() -> tagMap.expireMacs(config.nanoClock().getAsLong()), period, period,
                TimeUnit.NANOSECONDS);
    }

    /**
     * The address every loop's SO_REUSEPORT socket binds: the configured one, port 0 replaced by a free port. Linux lets a
     * socket with SO_REUSEPORT join any such group of the same user: at a configured port, another datapath's or
     * process's sockets, which would then take a share of the frames; at port 0, the kernel may even pick a port
     * already in such a group. So a socket without SO_REUSEPORT checks the port first, and is closed before the loops
     * bind it (nothing of ours binds port 0 with SO_REUSEPORT, so no one of ours takes it in between).
     */
    private static InetSocketAddress unshared(InetSocketAddress wanted) {
        try (DatagramSocket probe = new DatagramSocket(null)) {
            probe.setReuseAddress(false);
            probe.bind(wanted);
            return new InetSocketAddress(wanted.getAddress(), probe.getLocalPort());
        } catch (IOException e) {
            throw new IllegalStateException(wanted + " is in use (" + e.getMessage() + ")", e);
        }
    }

    private Channel bindOne(boolean epoll, EventLoop loop, InetSocketAddress address, int datagramSize, boolean gro,
                            DatagramHandler handler) throws InterruptedException {
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.SO_RCVBUF, config.socketBuffer())
                .option(ChannelOption.SO_SNDBUF, config.socketBuffer())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 << 10, 1 << 20))
                .handler(handler);
        if (epoll) {
            bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
            if (gro) {
                // A coalesced read can be as large as a whole IP datagram; Netty splits it by segment size.
                bootstrap.option(EpollChannelOption.UDP_GRO, true)
                        .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 0)
                        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(65_536));
            } else {
                bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, datagramSize)
                        .option(ChannelOption.RCVBUF_ALLOCATOR,
                                new FixedRecvByteBufAllocator(datagramSize * config.receiveBatch()));
            }
        } else {
            bootstrap.option(ChannelOption.RCVBUF_ALLOCATOR,
                    new FixedRecvByteBufAllocator(datagramSize).maxMessagesPerRead(config.receiveBatch()));
        }
        ChannelFuture bound = bootstrap.bind(address).sync();
        channels.add(bound.channel());
        return bound.channel();
    }

    public TagMap tagMap() {
        return tagMap;
    }

    public TunnelKeys tunnelKeys() {
        return tunnelKeys;
    }

    /** The counters as Micrometer meters; the node binds this to its registry. */
    public DatapathMetrics metrics() {
        return metrics;
    }

    public MtuBudget mtuBudget() {
        return config.mtuBudget();
    }

    /** Where the local cloud's VTEPs must send VXLAN (the bound port, when the config asked for any). */
    public InetSocketAddress localVtepAddress() {
        return localVtepAddress;
    }

    /** Where peers must send the tunnel (the bound port, when the config asked for any). */
    public InetSocketAddress tunnelAddress() {
        return tunnelAddress;
    }

    /** {@code epoll} or {@code nio}. */
    public String transport() {
        return transport;
    }

    public DatapathSnapshot snapshot() {
        List<SegmentView> segments = new ArrayList<>();
        for (SegmentState state : tagMap.segmentStates()) {
            segments.add(new SegmentView(state.segment, state.counters.snapshot(), state.macs.size()));
        }
        return new DatapathSnapshot(transport, loops, localVtepAddress, tunnelAddress, tagMap.snapshot(),
                tunnelKeys.states(), mtuBudget(), segments, counters.unassigned().snapshot());
    }

    /** The MAC addresses segment {@code vni} has learned and not yet aged out. */
    public List<LearnedMac> learnedMacs(int vni) {
        SegmentState state = tagMap.table().segmentByVni(vni);
        if (state == null) {
            return List.of();
        }
        return state.macs.entries(config.nanoClock().getAsLong()).stream()
                .map(e -> new LearnedMac(MacAddress.format(e.mac()), e.location().toString(), Duration.ofNanos(e.ageNanos())))
                .toList();
    }

    /** Closes both ports on every loop and stops the loops; returns when they have stopped (at most a few seconds). */
    @Override
    public void close() {
        for (Channel channel : channels) {
            channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
