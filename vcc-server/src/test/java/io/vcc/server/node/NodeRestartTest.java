package io.vcc.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vcc.api.node.NodeKind;
import io.vcc.api.node.Visibility;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** When the status poller tells that a node must be programmed again: what it was given may be gone. */
class NodeRestartTest {

    private final Instant registered = Instant.parse("2026-12-06T10:00:00Z");
    private final Node node = new Node(UUID.randomUUID(), "node-b", NodeKind.VCC, Visibility.PUBLIC, "http://node-b:8082", null,
            UUID.randomUUID(), List.of(), "1", "server", "sealed", registered);

    @Test
    void theFirstStartTheServerSeesCountsBecauseTheNodeMayHaveRestartedBeforeItsFirstPoll() {
        assertThat(node.started(registered.plusSeconds(1))).isTrue();
    }

    @Test
    void theSameStartAgainDoesNotButANewOneDoes() {
        Instant start = Instant.parse("2026-12-06T10:00:01.123456789Z");
        node.started(start);
        assertThat(node.started(start)).isFalse();
        assertThat(node.started(start.plusNanos(100))).as("the same millisecond, as the database keeps it").isFalse();
        assertThat(node.started(start.plusSeconds(30))).isTrue();
    }
}
