package io.vcc.support.tls;

import io.vcc.support.VccHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import org.springframework.core.env.Environment;

/**
 * Where a service's TLS material is: its private key, its certificate chain (its own first) and the CA
 * certificates it trusts. Managed files are under {@code <home>/tls/}; an operator's own are where
 * {@code vcc.tls.*} points.
 */
public record TlsFiles(Path privateKey, Path certificate, Path trust, boolean managed) {

    public static TlsFiles of(Environment environment, TlsProperties properties) {
        if (properties.ownCertificate()) {
            if (blank(properties.privateKey())) {
                throw new IllegalStateException("vcc.tls.certificate is set but vcc.tls.private-key is not; give both (PEM files)");
            }
            Path certificate = Path.of(properties.certificate()).toAbsolutePath();
            Path key = Path.of(properties.privateKey()).toAbsolutePath();
            Path trust = blank(properties.trust()) ? certificate : Path.of(properties.trust()).toAbsolutePath();
            for (Path file : new Path[] {certificate, key, trust}) {
                if (!Files.isReadable(file)) {
                    throw new IllegalStateException("TLS file " + file + " (vcc.tls.*) cannot be read");
                }
            }
            return new TlsFiles(key, certificate, trust, false);
        }
        Path directory = VccHome.of(environment).resolve("tls");
        Path trust = blank(properties.trust()) ? directory.resolve("ca.pem") : Path.of(properties.trust()).toAbsolutePath();
        return new TlsFiles(directory.resolve("key.pem"), directory.resolve("cert.pem"), trust, true);
    }

    /** The service's own certificate (the first of its chain). */
    public X509Certificate leaf() {
        return Pem.certificates(certificate).get(0);
    }

    /** Whether the service's certificate is missing or expires before {@code at}. */
    public boolean expiresBefore(Instant at) {
        return !Files.exists(certificate) || leaf().getNotAfter().toInstant().isBefore(at);
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
