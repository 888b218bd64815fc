package io.vcc.server.node;

import java.util.UUID;

/** A node answered with a process start time other than the one it reported before: it restarted. */
public record NodeRestarted(UUID nodeId, String name) {
}
