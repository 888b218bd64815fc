package io.vcc.server.network;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The database side of tenant networks: what is allocated to whom. Each method is one transaction, so an
 * allocation is all there or not at all; talking to nodes happens outside, in {@link NetworkService}.
 */
@Service
@Transactional
class NetworkLedger {

    /** A cloud a network is to span, with the node that will carry it there. */
    record NewSpan(UUID cloudId, UUID nodeId, List<String> localVteps) {
    }

    /** What deleting or shrinking a network left behind for the nodes: segments to remove, tunnels to drop. */
    record Release(NetworkView before, List<NetworkView.Span> removed, List<TunnelPair.Key> unusedPairs) {
    }

    private final TenantNetworks networks;
    private final NetworkSegments segments;
    private final DatacenterTags datacenterTags;
    private final TunnelPairs pairs;
    private final TagSpace space;
    private final Clock clock;

    NetworkLedger(TenantNetworks networks, NetworkSegments segments, DatacenterTags datacenterTags, TunnelPairs pairs,
                  TagSpace space, Clock clock) {
        this.networks = networks;
        this.segments = segments;
        this.datacenterTags = datacenterTags;
        this.pairs = pairs;
        this.space = space;
        this.clock = clock;
    }

    /**
     * A new network, if the tenant has fewer than {@code quota} networks. Checked under a lock per tenant, so that two
     * creations at once neither pass the quota together nor both find a name free.
     */
    NetworkView create(UUID tenantId, String tenantName, int quota, String name, int vlanId, int mtu, List<NewSpan> spans) {
        space.lockNetworksOf(tenantId);
        if (networks.existsByTenantIdAndVlanId(tenantId, vlanId)) {
            throw new VccProblemException(ProblemType.DUPLICATE, "Tenant " + tenantName + " already has a network on VLAN " + vlanId);
        }
        if (networks.existsByTenantIdAndName(tenantId, name)) {
            throw new VccProblemException(ProblemType.DUPLICATE, "Tenant " + tenantName + " already has a network named " + name);
        }
        long taken = networks.countByTenantId(tenantId);
        if (taken >= quota) {
            throw new VccProblemException(ProblemType.NETWORK_QUOTA_EXCEEDED, "Tenant " + tenantName + " has " + taken
                    + " layer-2 networks and its quota allows " + quota + "; delete one it no longer uses, or ask an admin "
                    + "to raise the quota (PUT /api/v1/tenants/" + tenantId + "/network-quota)");
        }
        String what = "network " + tenantName + "/" + name;
        TenantNetwork network = networks.saveAndFlush(new TenantNetwork(tenantId, name, vlanId, space.hostTag(what),
                space.customerTag(what), mtu, clock.instant()));
        for (NewSpan span : spans) {
            addSpan(network, span, what);
        }
        return view(network);
    }

    NetworkView extend(UUID networkId, UUID scope, NewSpan span) {
        TenantNetwork network = visible(networkId, scope);
        // Checked under the lock the span is added under: two extensions into one cloud at once get one span and
        // one clear duplicate, not a key violation.
        space.lockDatacenterTags();
        if (segments.existsById(new NetworkSegment.Key(networkId, span.cloudId()))) {
            throw new VccProblemException(ProblemType.DUPLICATE, "Network " + network.name() + " already spans cloud " + span.cloudId());
        }
        addSpan(network, span, "network " + network.name() + " in cloud " + span.cloudId());
        return view(network);
    }

    /** Takes one cloud out of a network; the last cloud cannot go (delete the network instead). */
    Release retract(UUID networkId, UUID scope, UUID cloudId) {
        TenantNetwork network = visible(networkId, scope);
        NetworkView before = view(network);
        NetworkSegment segment = segments.findById(new NetworkSegment.Key(networkId, cloudId))
                .orElseThrow(() -> VccProblemException.notFound("Cloud of network " + network.name(), cloudId));
        if (before.clouds().size() == 1) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "Cloud " + cloudId + " is the last one network "
                    + network.name() + " spans; delete the network instead");
        }
        segments.delete(segment);
        segments.flush();
        return release(before, before.clouds().stream().filter(s -> s.cloudId().equals(cloudId)).toList());
    }

    Release delete(UUID networkId, UUID scope) {
        TenantNetwork network = visible(networkId, scope);
        NetworkView before = view(network);
        segments.deleteAll(segments.findByNetworkIdOrderByCreatedAtAscCloudIdAsc(networkId));
        networks.delete(network);
        networks.flush();
        return release(before, before.clouds());
    }

    @Transactional(readOnly = true)
    NetworkView get(UUID networkId, UUID scope) {
        return view(visible(networkId, scope));
    }

    @Transactional(readOnly = true)
    List<NetworkView> list(UUID scope, UUID tenantId) {
        return networks.findAllVisible(scope, tenantId).stream().map(this::view).toList();
    }

    /** The id of the pair's current key; 0 when none was issued yet. */
    @Transactional(readOnly = true)
    int keyId(UUID one, UUID other) {
        return pairs.findById(TunnelPair.key(one, other)).map(TunnelPair::keyId).orElse(0);
    }

    /** Reserves the pair's next key id before the key goes out, so that a failed attempt never reuses an id. */
    int nextKeyId(UUID one, UUID other) {
        TunnelPair.Key key = TunnelPair.key(one, other);
        pairs.insertIfAbsent(key.nodeA(), key.nodeB(), clock.instant());
        TunnelPair pair = pairs.findLocked(key.nodeA(), key.nodeB()).orElseThrow();
        return pair.nextKey(clock.instant());
    }

    private void addSpan(TenantNetwork network, NewSpan span, String what) {
        space.lockDatacenterTags();
        if (!datacenterTags.existsById(span.cloudId())) {
            datacenterTags.saveAndFlush(new DatacenterTag(span.cloudId(), space.datacenterTag("the first network of cloud "
                    + span.cloudId()), clock.instant()));
        }
        segments.saveAndFlush(new NetworkSegment(network.id(), span.cloudId(), span.nodeId(),
                space.vni(span.cloudId(), what), span.localVteps(), clock.instant()));
    }

    /** Frees datacenter tags of clouds no network spans any more and forgets tunnels no network needs. */
    private Release release(NetworkView before, List<NetworkView.Span> removed) {
        space.lockDatacenterTags();
        for (NetworkView.Span span : removed) {
            if (!segments.existsByCloudId(span.cloudId())) {
                datacenterTags.deleteById(span.cloudId());
            }
        }
        Set<TunnelPair.Key> unused = new HashSet<>();
        for (NetworkView.Span gone : removed) {
            for (NetworkView.Span other : before.clouds()) {
                if (!other.nodeId().equals(gone.nodeId()) && !segments.shareANetwork(gone.nodeId(), other.nodeId())) {
                    unused.add(TunnelPair.key(gone.nodeId(), other.nodeId()));
                }
            }
        }
        unused.forEach(pairs::deleteById);
        return new Release(before, removed, new ArrayList<>(unused));
    }

    private TenantNetwork visible(UUID networkId, UUID scope) {
        return networks.findVisible(networkId, scope).orElseThrow(() -> VccProblemException.notFound("Network", networkId));
    }

    private NetworkView view(TenantNetwork network) {
        List<NetworkView.Span> spans = segments.findByNetworkIdOrderByCreatedAtAscCloudIdAsc(network.id()).stream()
                .map(s -> new NetworkView.Span(s.cloudId(), s.nodeId(),
                        datacenterTags.findById(s.cloudId()).map(DatacenterTag::tag).orElseThrow(),
                        s.vni(), s.localVteps()))
                .toList();
        return new NetworkView(network.id(), network.tenantId(), network.name(), network.vlanId(), network.hostTag(),
                network.customerTag(), network.mtu(), network.createdAt(), spans);
    }
}
