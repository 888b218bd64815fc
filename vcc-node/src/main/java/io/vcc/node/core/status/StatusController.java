package io.vcc.node.core.status;

import io.vcc.api.node.NodeStatus;
import io.vcc.node.core.NodeProperties;
import io.vcc.node.core.identity.NodeIdentities;
import io.vcc.node.core.identity.NodeIdentity;
import java.time.Instant;
import java.util.List;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The node's answer to the server's status poll (seed 002, FIG. 21). */
@RestController
class StatusController {

    private final NodeIdentities identities;
    private final NodeProperties properties;
    private final Environment environment;
    /** When this node started; the server takes a different value as a restart (and reprograms the node). */
    private final Instant startedAt = Instant.now();

    StatusController(NodeIdentities identities, NodeProperties properties, Environment environment) {
        this.identities = identities;
        this.properties = properties;
        this.environment = environment;
    }

    @GetMapping("/node/v1/status")
    NodeStatus status() {
        return new NodeStatus(identities.current().map(NodeIdentity::nodeId).orElse(null), properties.name(),
                properties.kind(), environment.getProperty("vcc.version", "dev"), startedAt,
                List.copyOf(properties.services()),
                environment.getProperty("vcc.adapters.hypervisor", "none"),
                environment.getProperty("vcc.adapters.cloud-director", "none"));
    }
}
