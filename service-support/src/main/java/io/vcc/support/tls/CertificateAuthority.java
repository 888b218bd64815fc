package io.vcc.support.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's small CA: one self-signed certificate and its key, in two PEM files. Every server replica
 * points at the same two files ({@code vcc.tls.ca-certificate}, {@code vcc.tls.ca-private-key}); a single
 * server makes them under its home on first start.
 */
public record CertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {

    private static final Logger log = LoggerFactory.getLogger(CertificateAuthority.class);

    public static CertificateAuthority loadOrCreate(Path certificateFile, Path keyFile, Duration validity) {
        if (!Files.exists(certificateFile) || !Files.exists(keyFile)) {
            if (Files.exists(certificateFile) != Files.exists(keyFile)) {
                throw new IllegalStateException("Only one of the CA's files exists (" + certificateFile + ", " + keyFile
                        + "); restore the other or remove both to start a new CA (every node must then register again)");
            }
            KeyPair keys = Certificates.newKeyPair();
            X509Certificate certificate = Certificates.authority(keys, "vcc CA", Instant.now(), validity);
            Pem.write(keyFile, Pem.encodePrivateKey(keys.getPrivate()), true);
            Pem.write(certificateFile, Pem.encode(certificate), false);
            log.info("Made the vcc CA {} (SHA-256 {})", certificateFile, Certificates.sha256(certificate));
        }
        return new CertificateAuthority(Pem.certificates(certificateFile).get(0), Pem.privateKey(keyFile));
    }

    /** A certificate for {@code key}, naming {@code hosts}; its chain (it, then this CA) as PEM. */
    public String issue(PublicKey key, String commonName, Collection<String> hosts, Duration validity) {
        X509Certificate issued = Certificates.issue(certificate, privateKey, key, commonName, hosts, Instant.now(), validity);
        return Pem.encode(List.of(issued, certificate));
    }

    public String certificatePem() {
        return Pem.encode(certificate);
    }

    public String sha256() {
        return Certificates.sha256(certificate);
    }
}
