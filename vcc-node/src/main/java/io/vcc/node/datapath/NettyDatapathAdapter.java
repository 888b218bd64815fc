package io.vcc.node.datapath;

import io.micrometer.core.instrument.MeterRegistry;
import io.vcc.api.datapath.DatapathState;
import io.vcc.api.datapath.KeySpec;
import io.vcc.api.datapath.PeerSpec;
import io.vcc.api.datapath.SegmentSpec;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.datapath.Datapath;
import io.vcc.datapath.DatapathConfig;
import io.vcc.datapath.MtuBudget;
import io.vcc.datapath.Peer;
import io.vcc.datapath.Segment;
import io.vcc.datapath.tunnel.TunnelKey;
import io.vcc.node.adapter.DatapathAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * The datapath adapter on the embedded Netty datapath. Programming goes straight into the library's tag
 * map and key rings, which validate each change whole and swap it in atomically, so this class only
 * translates; it serialises starts and restarts, the one thing the library leaves to its owner.
 */
final class NettyDatapathAdapter implements DatapathAdapter, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(NettyDatapathAdapter.class);

    private final DatapathProperties properties;
    private final String advertisedHost;
    private final MeterRegistry registry;
    private volatile Datapath datapath;
    // The configured addresses at first, then the bound ones: a restart keeps the ports VTEPs and peers know.
    private InetSocketAddress localVtep;
    private InetSocketAddress tunnel;

    NettyDatapathAdapter(DatapathProperties properties, String advertisedHost, MeterRegistry registry) {
        this.properties = properties;
        this.advertisedHost = advertisedHost;
        this.registry = registry;
        this.localVtep = Addresses.parse(properties.localVtep(), "vcc.datapath.local-vtep");
        this.tunnel = Addresses.parse(properties.tunnel(), "vcc.datapath.tunnel");
    }

    @Override
    public String name() {
        return "netty";
    }

    @Override
    public DatapathState state() {
        Datapath running = datapath;
        if (running == null) {
            return DatapathViews.notRunning(true, Addresses.format(localVtep), Addresses.format(tunnel),
                    MtuBudget.of(properties.tunnelMtu(), tunnel.getAddress() instanceof java.net.Inet6Address));
        }
        return DatapathViews.running(running.snapshot(), advertised(running.tunnelAddress()));
    }

    @Override
    public synchronized DatapathState setup(int datacenterTag) {
        Datapath running = datapath;
        if (running != null && running.tagMap().localDatacenterTag() == datacenterTag) {
            return state();
        }
        if (running != null) {
            log.warn("Datacenter tag changes from {} to {}: restarting the datapath with an empty tag map",
                    running.tagMap().localDatacenterTag(), datacenterTag);
            stop(running);
        }
        Datapath started = start(datacenterTag);
        localVtep = started.localVtepAddress();
        tunnel = started.tunnelAddress();
        started.metrics().bindTo(registry);
        datapath = started;
        return state();
    }

    @Override
    public void putSegment(int vni, SegmentSpec spec) {
        List<InetSocketAddress> vteps = spec.localVteps().stream().map(v -> Addresses.parse(v, "VTEP")).toList();
        apply(() -> {
            running().tagMap().putSegment(new Segment(spec.network(), vni, spec.hostTag(), spec.customerTag(), vteps,
                    spec.peers()));
            return null;
        });
    }

    @Override
    public boolean removeSegment(int vni) {
        return running().tagMap().removeSegment(vni);
    }

    @Override
    public void putPeer(String nodeId, PeerSpec spec) {
        InetSocketAddress address = Addresses.parse(spec.tunnelAddress(), "tunnel address");
        apply(() -> {
            Datapath running = running();
            // The key first: a frame for the peer right after the map swap must find something to seal with.
            if (spec.key() != null) {
                use(running, nodeId, spec.key());
            }
            running.tagMap().putPeer(new Peer(nodeId, spec.datacenterTag(), address));
            return null;
        });
    }

    @Override
    public boolean removePeer(String nodeId) {
        Datapath running = running();
        boolean existed = running.tagMap().removePeer(nodeId);
        running.tunnelKeys().remove(nodeId);
        return existed;
    }

    @Override
    public void putKey(String nodeId, int keyId, KeySpec key) {
        if (key.id() != keyId) {
            throw new VccProblemException(ProblemType.VALIDATION, "The key's id " + key.id() + " is not " + keyId);
        }
        apply(() -> {
            use(running(), nodeId, key);
            return null;
        });
    }

    @Override
    public void retirePreviousKey(String nodeId) {
        running().tunnelKeys().retirePrevious(nodeId);
    }

    @Override
    public synchronized void destroy() {
        Datapath running = datapath;
        if (running != null) {
            stop(running);
        }
    }

    private static void use(Datapath running, String nodeId, KeySpec spec) {
        byte[] secret = Base64.getDecoder().decode(spec.secret());
        try {
            TunnelKey key = new TunnelKey(spec.id(), secret);
            if (spec.use() == KeySpec.Use.STAGED) {
                running.tunnelKeys().stage(nodeId, key);
            } else {
                running.tunnelKeys().install(nodeId, key);
            }
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private Datapath start(int datacenterTag) {
        DatapathConfig.Builder config = DatapathConfig.builder()
                .localVtep(localVtep)
                .tunnel(tunnel)
                .datacenterTag(datacenterTag)
                .transport(properties.transport())
                .tunnelMtu(properties.tunnelMtu())
                .spinBeforeSleep(properties.spinBeforeSleep())
                .udpGro(properties.udpGro());
        if (properties.eventLoops() > 0) {
            config.eventLoops(properties.eventLoops());
        }
        try {
            return apply(() -> Datapath.start(config.build()));
        } catch (IllegalStateException e) {
            throw new VccProblemException(ProblemType.INVALID_STATE, e.getMessage(), e);
        }
    }

    private void stop(Datapath running) {
        datapath = null;
        // The library's meters read the old counters; they go with it so that the new ones can register.
        registry.getMeters().stream().filter(m -> m.getId().getName().startsWith("vcc.datapath."))
                .forEach(registry::remove);
        running.close();
    }

    private Datapath running() {
        Datapath running = datapath;
        if (running == null) {
            throw new VccProblemException(ProblemType.INVALID_STATE,
                    "The datapath has no datacenter tag yet; PUT /node/v1/datapath first");
        }
        return running;
    }

    /** Where peers reach the tunnel: the bound address, or the advertised host when that is a wildcard. */
    private InetSocketAddress advertised(InetSocketAddress bound) {
        InetAddress ip = bound.getAddress();
        if (ip != null && !ip.isAnyLocalAddress()) {
            return bound;
        }
        return Addresses.parse(advertisedHost.contains(":") && !advertisedHost.startsWith("[")
                ? "[" + advertisedHost + "]:" + bound.getPort() : advertisedHost + ":" + bound.getPort(), "advertised host");
    }

    /** The library says what is wrong with a change by IllegalArgumentException; for the API that is a 400. */
    private static <T> T apply(Supplier<T> change) {
        try {
            return change.get();
        } catch (IllegalArgumentException e) {
            throw new VccProblemException(ProblemType.VALIDATION, e.getMessage(), e);
        }
    }
}
