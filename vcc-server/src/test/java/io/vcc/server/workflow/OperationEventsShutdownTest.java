package io.vcc.server.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import io.vcc.server.security.CredentialCheck;
import io.vcc.server.security.Role;
import io.vcc.server.security.VccPrincipal;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A stream is an async request the web server's graceful shutdown waits for: when the server shuts down, every
 * stream is ended, also those whose client went away without the server noticing.
 */
class OperationEventsShutdownTest {

    private final OperationEvents events = new OperationEvents(new EventStreamProperties(1, Duration.ofHours(1), Duration.ofHours(1)), mock(CredentialCheck.class));

    @AfterEach
    void stop() {
        events.destroy();
    }

    @Test
    void shuttingDownEndsEveryOpenStream() {
        VccPrincipal ann = new VccPrincipal(UUID.randomUUID(), "ann", Role.TENANT_USER, UUID.randomUUID());
        VccPrincipal admin = new VccPrincipal(UUID.randomUUID(), "admin", Role.ADMIN, null);
        SseEmitter annStream = events.subscribe(ann, null).orElseThrow();
        SseEmitter adminStream = events.subscribe(admin, null).orElseThrow();
        assertThat(events.subscribe(ann, null)).as("ann holds the one stream allowed").isEmpty();

        events.endAll();

        for (SseEmitter stream : new SseEmitter[] {annStream, adminStream}) {
            assertThatThrownBy(() -> stream.send(SseEmitter.event().comment("after")))
                    .as("the stream was completed").isInstanceOf(IllegalStateException.class);
        }
        assertThat(events.subscribe(ann, null)).as("the ended stream no longer counts").isPresent();
    }
}
