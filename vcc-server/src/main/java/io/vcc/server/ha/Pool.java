package io.vcc.server.ha;

import java.time.Instant;
import java.util.UUID;

/** An HA pool: the physical systems of a node's cloud that carry this pool name and nest inactive VHs. */
record Pool(UUID id, UUID nodeId, String name, Instant createdAt) {
}
