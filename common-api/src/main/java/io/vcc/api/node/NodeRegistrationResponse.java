package io.vcc.api.node;

import java.util.UUID;

/** The identity and credentials the server gives a newly registered node; the secret is shown only here. */
public record NodeRegistrationResponse(UUID nodeId, String username, String secret) {
}
