package io.vcc.node.inventory;

import io.vcc.api.node.HostInfo;
import io.vcc.api.node.TenantUsage;
import io.vcc.api.node.ZoneInfo;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.adapter.CloudTopology;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The cloud's zones, hosts and per-account usage (the {@code NodeApi} contract), as its director reports them. */
@RestController
@RequestMapping("/node/v1")
class TopologyController {

    private final ObjectProvider<CloudTopology> topology;

    TopologyController(ObjectProvider<CloudTopology> topology) {
        this.topology = topology;
    }

    @GetMapping("/zones")
    List<ZoneInfo> zones() {
        return topology().zones();
    }

    @GetMapping("/hosts")
    List<HostInfo> hosts() {
        return topology().hosts();
    }

    @GetMapping("/usage")
    List<TenantUsage> usage() {
        return topology().usage();
    }

    private CloudTopology topology() {
        CloudTopology found = topology.getIfAvailable();
        if (found == null) {
            throw new VccProblemException(ProblemType.NOT_FOUND, "This node's cloud director reports no zones, hosts or usage");
        }
        return found;
    }
}
