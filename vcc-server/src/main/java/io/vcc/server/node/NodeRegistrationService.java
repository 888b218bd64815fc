package io.vcc.server.node;

import io.vcc.api.node.IssuedCertificate;
import io.vcc.api.node.NodeRegistrationRequest;
import io.vcc.api.node.NodeRegistrationResponse;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.server.cloud.CloudDirectory;
import io.vcc.server.cloud.CloudView;
import io.vcc.server.pki.ServerCertificateAuthority;
import io.vcc.server.security.SecretTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** One-time registration tokens and the registration a node makes with one (seed 002, FIG. 13). */
@Service
@Transactional
class NodeRegistrationService {

    private static final Logger log = LoggerFactory.getLogger(NodeRegistrationService.class);

    private final NodeRegistrations registrations;
    private final Nodes nodes;
    private final CloudDirectory clouds;
    private final SecretCipher cipher;
    private final ServerCertificateAuthority authority;
    private final Clock clock;

    NodeRegistrationService(NodeRegistrations registrations, Nodes nodes, CloudDirectory clouds, SecretCipher cipher,
                            ServerCertificateAuthority authority, Clock clock) {
        this.registrations = registrations;
        this.nodes = nodes;
        this.clouds = clouds;
        this.cipher = cipher;
        this.authority = authority;
        this.clock = clock;
    }

    RegistrationView issue(String note, Duration validFor, String createdBy) {
        String token = SecretTokens.generate("vccreg_");
        Instant now = clock.instant();
        NodeRegistration registration = registrations.save(
                new NodeRegistration(SecretTokens.hash(token), note, createdBy, now, now.plus(validFor)));
        RegistrationView view = registration.view(now);
        return new RegistrationView(view.id(), view.note(), view.state(), view.createdBy(), view.createdAt(),
                view.expiresAt(), null, null, token);
    }

    @Transactional(readOnly = true)
    List<RegistrationView> all() {
        Instant now = clock.instant();
        return registrations.findAllByOrderByCreatedAtDesc().stream().map(r -> r.view(now)).toList();
    }

    void revoke(UUID id) {
        NodeRegistration registration = registrations.findById(id).orElseThrow(() -> VccProblemException.notFound("Registration", id));
        if (registration.used()) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "Registration " + id + " was already used; delete the node instead");
        }
        registrations.delete(registration);
    }

    NodeRegistrationResponse register(NodeRegistrationRequest request) {
        Instant now = clock.instant();
        NodeRegistration registration = registrations.findByTokenHash(SecretTokens.hash(request.registrationToken()))
                .orElseThrow(() -> new VccProblemException(ProblemType.REGISTRATION_TOKEN_INVALID,
                        "The registration token is not known; ask an administrator for one (POST /api/v1/node-registrations)"));
        if (registration.used()) {
            throw new VccProblemException(ProblemType.REGISTRATION_TOKEN_USED,
                    "The registration token was already used; each token registers one node");
        }
        if (registration.expiredAt(now)) {
            throw new VccProblemException(ProblemType.REGISTRATION_TOKEN_INVALID, "The registration token has expired; ask for a new one");
        }
        if (nodes.existsByName(request.name())) {
            throw new VccProblemException(ProblemType.DUPLICATE, "A node named " + request.name() + " is already registered");
        }
        if (authority.tlsEnabled() && !request.baseUrl().regionMatches(true, 0, "https://", 0, 8)) {
            throw new VccProblemException(ProblemType.VALIDATION, "baseUrl: TLS is on, so the node must serve https; "
                    + request.baseUrl() + " is plain HTTP (set vcc.tls.enabled=true and an https base URL on the node)");
        }
        UUID nodeId = UUID.randomUUID();
        IssuedCertificate certificate = authority.issueForNode(nodeId, request.certificateRequest(), request.baseUrl());
        CloudView cloud = clouds.findOrCreate(request.cloudName(), request.cloudType(), request.cloudUrl(), request.isMultiTenantCloud());
        String username = "node-" + nodeId;
        String secret = SecretTokens.generate("");
        nodes.save(new Node(nodeId, request.name(), request.kind(), request.visibility(), request.baseUrl(), request.proxy(),
                cloud.id(), request.services(), request.version(), username, cipher.encrypt(secret), now));
        registration.useFor(nodeId, now);
        log.info("Node {} ({} {}, {}) registered in cloud {}", request.name(), request.visibility(), request.kind(),
                request.baseUrl(), cloud.name());
        return new NodeRegistrationResponse(nodeId, username, secret,
                certificate == null ? null : certificate.certificate(), certificate == null ? null : certificate.caCertificate());
    }
}
