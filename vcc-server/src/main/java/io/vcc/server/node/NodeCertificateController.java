package io.vcc.server.node;

import io.vcc.api.node.CertificateRenewalRequest;
import io.vcc.api.node.IssuedCertificate;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.server.pki.ServerCertificateAuthority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.security.cert.X509Certificate;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A registered node renews its certificate before it expires, authenticated by the certificate it holds
 * (TLS client authentication, as a kubelet does): the new one names the node's registered base URL again,
 * so a node can never widen what its certificate covers. A node no longer registered, or revoked, gets none.
 */
@RestController
class NodeCertificateController {

    private static final Logger log = LoggerFactory.getLogger(NodeCertificateController.class);

    private final ServerCertificateAuthority authority;
    private final Nodes nodes;

    NodeCertificateController(ServerCertificateAuthority authority, Nodes nodes) {
        this.authority = authority;
        this.nodes = nodes;
    }

    @PostMapping("/api/v1/nodes/certificate")
    IssuedCertificate renew(@Valid @RequestBody CertificateRenewalRequest request, HttpServletRequest http) {
        if (authority.authority().isEmpty()) {
            throw new VccProblemException(ProblemType.NOT_FOUND, "This server runs no CA; nodes bring their own certificates");
        }
        X509Certificate[] chain = (X509Certificate[]) http.getAttribute("jakarta.servlet.request.X509Certificate");
        UUID nodeId = authority.nodeOf(chain).orElseThrow(() -> new VccProblemException(ProblemType.UNAUTHORIZED,
                "Present the certificate this server's CA issued to the node (TLS client authentication) to renew it"));
        Node node = nodes.findById(nodeId).orElseThrow(() -> new VccProblemException(ProblemType.UNAUTHORIZED,
                "The node this certificate was issued to is no longer registered"));
        if (node.revoked()) {
            // A revoked node's certificate still verifies until it expires; it must not buy a fresh one.
            throw new VccProblemException(ProblemType.UNAUTHORIZED, "Node " + node.name() + " was revoked; it gets no certificate");
        }
        IssuedCertificate issued = authority.issueForNode(nodeId, request.certificateRequest(), node.baseUrl());
        if (issued == null) {
            throw new VccProblemException(ProblemType.VALIDATION, "certificateRequest: missing");
        }
        log.info("Renewed the certificate of node {}", node.name());
        return issued;
    }
}
