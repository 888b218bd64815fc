package io.vcc.api.node;

/** A certificate the server's CA issued: the chain (PEM, the holder's own first) and the CA certificate. */
public record IssuedCertificate(String certificate, String caCertificate) {
}
