package io.vcc.server.pki;

import io.vcc.api.node.IssuedCertificate;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.support.tls.CertificateAuthority;
import io.vcc.support.tls.Certificates;
import io.vcc.support.tls.TlsContexts;
import io.vcc.support.tls.TlsFiles;
import io.vcc.support.tls.TlsProperties;
import io.vcc.support.tls.TlsSetup;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.springframework.stereotype.Component;

/**
 * The CA as the rest of the server uses it. It exists when TLS is on and the server manages its own
 * certificates or is given the CA's files; without it, nodes bring their own certificates.
 */
@Component
public class ServerCertificateAuthority {

    static final String NODE_PREFIX = "node-";

    private final TlsProperties properties;
    private final TlsFiles files;
    private final CertificateAuthority authority;

    ServerCertificateAuthority(TlsProperties properties, TlsContexts contexts) {
        this.properties = properties;
        this.files = contexts.files();
        boolean hasCa = contexts.enabled() && (!properties.ownCertificate()
                || (properties.caCertificate() != null && !properties.caCertificate().isBlank()));
        this.authority = hasCa ? TlsSetup.authority(files, properties) : null;
    }

    /** Whether TLS is on: nodes must then register an https base URL. */
    public boolean tlsEnabled() {
        return files != null;
    }

    public Optional<CertificateAuthority> authority() {
        return Optional.ofNullable(authority);
    }

    /**
     * A certificate for a node's key (from its certificate request), naming the host of the base URL it
     * registered; null when the server has no CA or the node asks for none (it brought its own). What the
     * request asks for besides its key is ignored.
     */
    public IssuedCertificate issueForNode(UUID nodeId, String certificateRequest, String baseUrl) {
        if (authority == null || certificateRequest == null || certificateRequest.isBlank()) {
            return null;
        }
        PublicKey key;
        try {
            key = Certificates.verifiedPublicKey(certificateRequest);
        } catch (IllegalArgumentException e) {
            throw new VccProblemException(ProblemType.VALIDATION, "certificateRequest: " + e.getMessage());
        }
        String host = Certificates.host(baseUrl);
        String chain = authority.issue(key, NODE_PREFIX + nodeId, Certificates.hosts(List.of(host)), properties.validity());
        return new IssuedCertificate(chain, authority.certificatePem());
    }

    /**
     * The node a client certificate was issued to by this CA, or empty when it was not (another CA, expired,
     * not a node's).
     */
    public Optional<UUID> nodeOf(X509Certificate[] chain) {
        if (authority == null || chain == null || chain.length == 0) {
            return Optional.empty();
        }
        try {
            chain[0].checkValidity();
            chain[0].verify(authority.certificate().getPublicKey());
            String commonName = commonName(chain[0].getSubjectX500Principal());
            if (commonName == null || !commonName.startsWith(NODE_PREFIX)) {
                return Optional.empty();
            }
            return Optional.of(UUID.fromString(commonName.substring(NODE_PREFIX.length())));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String commonName(X500Principal principal) {
        var rdns = X500Name.getInstance(principal.getEncoded()).getRDNs(BCStyle.CN);
        return rdns.length == 0 ? null : IETFUtils.valueToString(rdns[0].getFirst().getValue());
    }
}
