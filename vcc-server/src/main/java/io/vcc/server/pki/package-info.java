/**
 * The server's small CA: it issues the server its own certificate and each node one at registration (the
 * one-time token authenticates the request, as in kubelet TLS bootstrap), renews them before they expire,
 * and publishes its certificate so that nodes can pin it.
 */
@org.springframework.modulith.ApplicationModule(displayName = "PKI")
package io.vcc.server.pki;
