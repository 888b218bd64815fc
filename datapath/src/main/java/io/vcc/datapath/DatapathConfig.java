package io.vcc.datapath;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How a node's datapath runs. Build one with {@link #builder()}; only the two addresses and the node's
 * datacenter tag have no default.
 *
 * @param localVtep       where the local cloud's VTEPs send VXLAN to this node (port 0: any free port)
 * @param tunnel          where peers' tunnels send to this node (port 0: any free port)
 * @param datacenterTag   this node's datacenter tag (1..4094), as the server allocated it
 * @param transport       {@code AUTO} takes epoll where it is available and NIO elsewhere
 * @param eventLoops      threads; with epoll each binds its own socket to both ports with SO_REUSEPORT
 * @param receiveBatch    datagrams per recvmmsg call (epoll)
 * @param udpGso          send runs of equal datagrams to one recipient as one UDP GSO send (epoll, where the
 *                        kernel has UDP_SEGMENT); see {@link DatagramTrain}
 * @param udpGro          let the kernel coalesce datagrams received on the tunnel port (UDP_GRO), as peers send
 *                        them in GSO runs; epoll then reads one
 *                        coalesced buffer per call instead of using recvmmsg
 * @param maxFrameLength  the longest tenant Ethernet frame accepted (addresses to payload, no FCS)
 * @param maxTenantTags   how many VLAN tags a tenant frame may carry of its own
 * @param tunnelMtu       IP MTU of the path between nodes; see {@link MtuBudget}
 * @param macAgeing       how long a learned MAC address stays without being seen again
 * @param macTableLimit   learned addresses per segment at most; beyond it frames are flooded, not lost
 * @param socketBuffer    SO_RCVBUF and SO_SNDBUF, in octets (the kernel caps them at its rmem/wmem max)
 * @param spinBeforeSleep how long an event loop keeps polling after it last found work before it sleeps
 *                        (see {@link SpinBeforeSleep}); zero sleeps at once; default
 *                        {@link #DEFAULT_SPIN_BEFORE_SLEEP}
 * @param nanoClock       time source for MAC ageing; tests pass their own
 */
public record DatapathConfig(InetSocketAddress localVtep, InetSocketAddress tunnel, int datacenterTag,
                             Transport transport, int eventLoops, int receiveBatch, boolean udpGso, boolean udpGro,
                             int maxFrameLength, int maxTenantTags, int tunnelMtu, Duration macAgeing,
                             int macTableLimit, int socketBuffer, Duration spinBeforeSleep, LongSupplier nanoClock) {

    public enum Transport { AUTO, EPOLL, NIO }

    /**
     * Longer than a frame's round trip across two nodes on a small VM (60 to 100 µs measured), so that the reply to a
     * frame still finds the loop polling; see docs/benchmarks.md.
     */
    public static final Duration DEFAULT_SPIN_BEFORE_SLEEP = Duration.ofNanos(200_000);

    public DatapathConfig {
        Objects.requireNonNull(localVtep, "localVtep");
        Objects.requireNonNull(tunnel, "tunnel");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(macAgeing, "macAgeing");
        Objects.requireNonNull(nanoClock, "nanoClock");
        Objects.requireNonNull(spinBeforeSleep, "spinBeforeSleep");
        if (spinBeforeSleep.isNegative() || spinBeforeSleep.compareTo(Duration.ofMillis(10)) > 0) {
            throw new IllegalArgumentException("spinBeforeSleep must be 0..10ms, was " + spinBeforeSleep);
        }
        TagMap.checkVid("datacenter tag", datacenterTag);
        if (eventLoops < 1 || receiveBatch < 1 || macTableLimit < 1 || socketBuffer < 1) {
            throw new IllegalArgumentException("eventLoops, receiveBatch, macTableLimit and socketBuffer must be positive");
        }
        if (maxFrameLength < 64 || maxFrameLength > 16_000) {
            throw new IllegalArgumentException("maxFrameLength must be 64..16000, was " + maxFrameLength);
        }
        if (maxTenantTags < 0 || maxTenantTags > 8) {
            throw new IllegalArgumentException("maxTenantTags must be 0..8, was " + maxTenantTags);
        }
        if (tunnelMtu < 576 || tunnelMtu > 65_535) {
            throw new IllegalArgumentException("tunnelMtu must be 576..65535, was " + tunnelMtu);
        }
        if (macAgeing.isNegative() || macAgeing.isZero()) {
            throw new IllegalArgumentException("macAgeing must be positive");
        }
    }

    public MtuBudget mtuBudget() {
        return MtuBudget.of(tunnelMtu, tunnel.getAddress() instanceof java.net.Inet6Address);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private InetSocketAddress localVtep;
        private InetSocketAddress tunnel;
        private int datacenterTag;
        private Transport transport = Transport.AUTO;
        private int eventLoops = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        private int receiveBatch = 32;
        private boolean udpGso = true;
        private boolean udpGro;
        private int maxFrameLength = 1518;
        private int maxTenantTags = 2;
        private int tunnelMtu = 1500;
        private Duration macAgeing = Duration.ofMinutes(5);
        private int macTableLimit = 8192;
        private int socketBuffer = 4 << 20;
        private Duration spinBeforeSleep = DEFAULT_SPIN_BEFORE_SLEEP;
        private LongSupplier nanoClock = System::nanoTime;

        public Builder localVtep(InetSocketAddress address) {
            this.localVtep = address;
            return this;
        }

        public Builder tunnel(InetSocketAddress address) {
            this.tunnel = address;
            return this;
        }

        public Builder datacenterTag(int tag) {
            this.datacenterTag = tag;
            return this;
        }

        public Builder transport(Transport transport) {
            this.transport = transport;
            return this;
        }

        public Builder eventLoops(int eventLoops) {
            this.eventLoops = eventLoops;
            return this;
        }

        public Builder receiveBatch(int datagrams) {
            this.receiveBatch = datagrams;
            return this;
        }

        public Builder udpGso(boolean udpGso) {
            this.udpGso = udpGso;
            return this;
        }

        public Builder udpGro(boolean udpGro) {
            this.udpGro = udpGro;
            return this;
        }

        public Builder maxFrameLength(int octets) {
            this.maxFrameLength = octets;
            return this;
        }

        public Builder maxTenantTags(int tags) {
            this.maxTenantTags = tags;
            return this;
        }

        public Builder tunnelMtu(int mtu) {
            this.tunnelMtu = mtu;
            return this;
        }

        public Builder macAgeing(Duration ageing) {
            this.macAgeing = ageing;
            return this;
        }

        public Builder macTableLimit(int entries) {
            this.macTableLimit = entries;
            return this;
        }

        public Builder socketBuffer(int octets) {
            this.socketBuffer = octets;
            return this;
        }

        public Builder spinBeforeSleep(Duration spin) {
            this.spinBeforeSleep = spin;
            return this;
        }

        public Builder nanoClock(LongSupplier clock) {
            this.nanoClock = clock;
            return this;
        }

        public DatapathConfig build() {
            return new DatapathConfig(localVtep, tunnel, datacenterTag, transport, eventLoops, receiveBatch, udpGso, udpGro,
                    maxFrameLength, maxTenantTags, tunnelMtu, macAgeing, macTableLimit, socketBuffer, spinBeforeSleep,
                    nanoClock);
        }
    }
}
