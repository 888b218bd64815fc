package io.vcc.support.tls;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * TLS on every hop ({@code vcc.tls.*}). By default the server's CA issues every certificate and the files live
 * under {@code <home>/tls/}; an operator brings their own with {@code certificate}, {@code private-key} and
 * {@code trust} (PEM files, reloaded when they change).
 *
 * @param enabled          serve HTTPS only and call other services over HTTPS only
 * @param certificate      PEM certificate chain to serve with instead of one from the server's CA
 * @param privateKey       its PEM private key
 * @param trust            PEM CA certificates this service trusts for its peers (the server's CA when empty)
 * @param hostnames        names and addresses the server's own certificate carries (besides localhost)
 * @param clientAuth       whether the web server asks callers for a certificate: none, want or need
 * @param validity         how long certificates the server's CA issues last (server)
 * @param caValidity       how long the server's CA certificate lasts (server)
 * @param caCertificate    the CA certificate file several server replicas share (server; default under home)
 * @param caPrivateKey     its private key file (server; default under home, mode 600)
 * @param renewBefore      a managed certificate is renewed this long before it expires
 * @param renewalInterval  how often a service looks at its certificate's expiry
 */
@ConfigurationProperties("vcc.tls")
public record TlsProperties(
        boolean enabled,
        String certificate,
        String privateKey,
        String trust,
        @DefaultValue List<String> hostnames,
        @DefaultValue("want") String clientAuth,
        @DefaultValue("30d") Duration validity,
        @DefaultValue("3650d") Duration caValidity,
        String caCertificate,
        String caPrivateKey,
        @DefaultValue("10d") Duration renewBefore,
        @DefaultValue("1h") Duration renewalInterval) {

    /** Whether the operator brought the service's certificate (the server's CA then issues none to it). */
    public boolean ownCertificate() {
        return certificate != null && !certificate.isBlank();
    }
}
