package io.vcc.api.node;

import java.util.UUID;

/**
 * The identity and credentials the server gives a newly registered node; the secret is shown only here.
 * With TLS, the node's certificate chain (PEM, its own first) and the server's CA certificate, which the
 * node trusts from then on; both null without TLS.
 */
public record NodeRegistrationResponse(UUID nodeId, String username, String secret, String certificate, String caCertificate) {
}
