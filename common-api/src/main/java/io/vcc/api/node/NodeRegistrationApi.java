package io.vcc.api.node;

import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.HttpExchange;
import org.springframework.web.service.annotation.PostExchange;

/** The server endpoints a node calls: once at install time with its one-time registration token, then to renew its certificate. */
@HttpExchange("/api/v1/nodes")
public interface NodeRegistrationApi {

    @PostExchange("/register")
    NodeRegistrationResponse register(@RequestBody NodeRegistrationRequest request);

    /**
     * A registered node renews its certificate, authenticated by the certificate it holds (TLS client
     * authentication), as a kubelet does.
     */
    @PostExchange("/certificate")
    IssuedCertificate renewCertificate(@RequestBody CertificateRenewalRequest request);
}
