package io.vcc.server.placement;

import io.vcc.api.node.HostInfo;
import io.vcc.api.node.NodeApi;
import io.vcc.api.node.TenantUsage;
import io.vcc.api.node.ZoneInfo;
import io.vcc.server.cloud.CloudDirectory;
import io.vcc.server.node.NodeGateway;
import java.util.List;
import java.util.UUID;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** What a cloud's VCC node reports of its zones, hosts and per-account usage, for admins. */
@RestController
@RequestMapping("/api/v1/clouds/{cloudId}")
@PreAuthorize("hasRole('ADMIN')")
class CloudHostsController {

    private final CloudDirectory clouds;
    private final NodeGateway nodes;

    CloudHostsController(CloudDirectory clouds, NodeGateway nodes) {
        this.clouds = clouds;
        this.nodes = nodes;
    }

    @GetMapping("/zones")
    List<ZoneInfo> zones(@PathVariable UUID cloudId) {
        return node(cloudId).zones();
    }

    @GetMapping("/hosts")
    List<HostInfo> hosts(@PathVariable UUID cloudId) {
        return node(cloudId).hosts();
    }

    @GetMapping("/usage")
    List<TenantUsage> usage(@PathVariable UUID cloudId) {
        return node(cloudId).usage();
    }

    private NodeApi node(UUID cloudId) {
        return nodes.nodeApi(nodes.vccNodeFor(clouds.get(cloudId).id()).id());
    }
}
