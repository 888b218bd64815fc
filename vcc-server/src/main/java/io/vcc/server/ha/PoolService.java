package io.vcc.server.ha;

import io.vcc.api.ha.HaInventory;
import io.vcc.api.ha.HaNodeApi;
import io.vcc.api.ha.HypervisorInfo;
import io.vcc.api.ha.HypervisorKind;
import io.vcc.api.ha.PhysicalSystemInfo;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.server.node.NodeGateway;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/** HA pools: named by an admin on a node; their systems and VHs are read live from the node. */
@Service
class PoolService {

    /** A pool with its running systems and the VHs nested in them, as the node reports them now. */
    record PoolView(UUID id, UUID nodeId, String name, List<PhysicalSystemInfo> systems, List<HypervisorInfo> virtualHypervisors) {
    }

    private final Pools pools;
    private final NodeGateway nodes;
    private final Clock clock;

    PoolService(Pools pools, NodeGateway nodes, Clock clock) {
        this.pools = pools;
        this.nodes = nodes;
        this.clock = clock;
    }

    Pool create(UUID nodeId, String name) {
        nodes.get(nodeId);
        if (pools.exists(nodeId, name)) {
            throw new VccProblemException(ProblemType.DUPLICATE, "Node " + nodeId + " already has a pool named " + name);
        }
        Pool pool = new Pool(UUID.randomUUID(), nodeId, name, clock.instant());
        pools.insert(pool);
        return pool;
    }

    /** Sets (or, with null, clears) the pool's capacity-burst threshold. */
    Pool burstPolicy(UUID id, Integer thresholdPercent) {
        pool(id);
        pools.burstPolicy(id, thresholdPercent);
        return pool(id);
    }

    List<Pool> list() {
        return pools.list();
    }

    Pool pool(UUID id) {
        return pools.find(id).orElseThrow(() -> VccProblemException.notFound("Pool", id));
    }

    PoolView view(UUID id) {
        Pool pool = pool(id);
        HaInventory inventory = inventory(pool);
        List<PhysicalSystemInfo> systems = inventory.systems().stream().filter(s -> pool.name().equals(s.pool())).toList();
        Set<String> ids = systems.stream().map(PhysicalSystemInfo::id).collect(Collectors.toSet());
        return new PoolView(pool.id(), pool.nodeId(), pool.name(), systems, inventory.hypervisors().stream()
                .filter(h -> h.kind() == HypervisorKind.VIRTUAL && ids.contains(h.physicalSystemId())).toList());
    }

    HaInventory inventory(Pool pool) {
        return nodes.client(pool.nodeId(), HaNodeApi.class).inventory();
    }
}
