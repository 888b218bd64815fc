package io.vcc.api.node;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What a node reports when the server polls it. */
public record NodeStatus(UUID nodeId, String name, NodeKind kind, String version, Instant startedAt,
                         List<String> services, String hypervisorAdapter, String cloudDirectorAdapter) {
}
