package io.vcc.node.core.identity;

import io.vcc.api.node.CertificateRenewalRequest;
import io.vcc.api.node.IssuedCertificate;
import io.vcc.node.core.NodeProperties;
import io.vcc.support.tls.Certificates;
import io.vcc.support.tls.Pem;
import io.vcc.support.tls.RenewalTimer;
import io.vcc.support.tls.TlsContexts;
import io.vcc.support.tls.TlsFiles;
import io.vcc.support.tls.TlsProperties;
import io.vcc.support.tls.TlsSetup;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The node's certificate from the server's CA: requested at registration, renewed before it expires (the
 * node authenticates with the certificate it holds). Installing one writes the CA and then the certificate;
 * the web server reloads them (its SSL bundle watches the files) and clients read them again. A certificate
 * the operator brought is theirs to renew.
 */
@Configuration(proxyBeanMethods = false)
public class NodeCertificates {

    private static final Logger log = LoggerFactory.getLogger(NodeCertificates.class);

    private final NodeProperties node;
    private final TlsProperties properties;
    private final TlsContexts tls;
    private final ServerConnection server;
    private final NodeIdentities identities;

    NodeCertificates(NodeProperties node, TlsProperties properties, TlsContexts tls, ServerConnection server, NodeIdentities identities) {
        this.node = node;
        this.properties = properties;
        this.tls = tls;
        this.server = server;
        this.identities = identities;
    }

    /** Whether the node asks the server's CA for its certificate (TLS on, no certificate of the operator's). */
    boolean managed() {
        return tls.enabled() && tls.files().managed();
    }

    /** A certificate request for the node's key, or null when the node does not ask for certificates. */
    String certificateRequest() {
        return managed() ? Certificates.certificateRequest(TlsSetup.keys(tls.files()), node.name()) : null;
    }

    /**
     * Checks what the server issued and installs it: the CA must be the pinned one (when there is a pin), the
     * certificate for this node's key and signed by that CA.
     */
    void install(IssuedCertificate issued, X509Certificate pinned) {
        TlsFiles files = tls.files();
        List<X509Certificate> chain = Pem.certificates(issued.certificate());
        List<X509Certificate> authority = Pem.certificates(issued.caCertificate());
        if (authority.size() != 1 || (pinned != null && !pinned.equals(authority.get(0)))) {
            throw new IllegalStateException("The server answered with a CA other than the pinned one");
        }
        try {
            chain.get(0).verify(authority.get(0).getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The certificate the server issued is not signed by its CA", e);
        }
        if (!chain.get(0).getPublicKey().equals(TlsSetup.keys(files).getPublic())) {
            throw new IllegalStateException("The certificate the server issued is not for this node's key");
        }
        if (properties.trust() == null || properties.trust().isBlank()) {
            // trust the operator gave stays theirs to keep
            Pem.write(files.trust(), Pem.encode(authority.get(0)), false);
        }
        Pem.write(files.certificate(), issued.certificate(), false);
        log.info("Installed the node's certificate from the server's CA; it expires {}", chain.get(0).getNotAfter().toInstant());
    }

    /** Renews the certificate when it expires within {@code renewBefore}; true when it did. */
    public boolean renewIfDue(Duration renewBefore) {
        if (!managed() || identities.current().isEmpty() || !issuedByServer()) {
            return false;
        }
        if (!tls.files().expiresBefore(Instant.now().plus(renewBefore))) {
            return false;
        }
        IssuedCertificate issued = server.registered().renewCertificate(new CertificateRenewalRequest(certificateRequest()));
        install(issued, null);
        return true;
    }

    /** The self-signed placeholder a node serves with before registration is not renewed. */
    private boolean issuedByServer() {
        X509Certificate leaf = tls.files().leaf();
        return !leaf.getIssuerX500Principal().equals(leaf.getSubjectX500Principal());
    }

    @Bean
    RenewalTimer nodeCertificateRenewalTimer() {
        return new RenewalTimer("node-certificate", properties, () -> renewIfDue(properties.renewBefore()));
    }
}
