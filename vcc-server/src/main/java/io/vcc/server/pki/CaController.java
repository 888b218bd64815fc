package io.vcc.server.pki;

import io.vcc.api.problem.VccProblemException;
import io.vcc.api.problem.ProblemType;
import io.vcc.support.tls.CertificateAuthority;
import java.time.Instant;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The CA's certificate, for anyone (it is public): {@code curl --cacert} trusts the server with it, and a node's
 * installer pins its SHA-256 ({@code VCC_NODE_SERVER_CA_SHA256}).
 */
@RestController
@RequestMapping("/api/v1/pki")
class CaController {

    record CaView(String certificate, String sha256, Instant notAfter) {
    }

    private final ServerCertificateAuthority authority;

    CaController(ServerCertificateAuthority authority) {
        this.authority = authority;
    }

    @GetMapping("/ca")
    CaView view() {
        CertificateAuthority ca = authority();
        return new CaView(ca.certificatePem(), ca.sha256(), ca.certificate().getNotAfter().toInstant());
    }

    @GetMapping(value = "/ca.pem", produces = "application/x-pem-file")
    String caPem() {
        return authority().certificatePem();
    }

    private CertificateAuthority authority() {
        return authority.authority().orElseThrow(() -> new VccProblemException(ProblemType.NOT_FOUND,
                "This server runs no CA (TLS is off, or the operator brought certificates of their own)"));
    }
}
