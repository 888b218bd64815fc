package io.vcc.server.node;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/** A registration token's record; {@code token} is present only in the answer that created it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record RegistrationView(UUID id, String note, String state, String createdBy, Instant createdAt, Instant expiresAt,
                        Instant usedAt, UUID nodeId, String token) {
}
