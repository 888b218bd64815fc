package io.vcc.node.adapter.sim;

import java.util.Optional;
import java.util.UUID;

/** Ids arrive as strings from the API; one that is not a UUID simply names nothing. */
final class SimIds {

    private SimIds() {
    }

    static Optional<UUID> parse(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
