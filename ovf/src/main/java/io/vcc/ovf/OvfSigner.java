package io.vcc.ovf;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/** Signs manifests, producing the {@code .cert} of a package. */
public final class OvfSigner {

    private final PrivateKey key;
    private final List<X509Certificate> certificates;

    /**
     * @param key          the private key of {@code certificates.get(0)}
     * @param certificates the signer's certificate first, then any chain to include
     */
    public OvfSigner(PrivateKey key, List<X509Certificate> certificates) {
        this.key = Objects.requireNonNull(key, "key");
        this.certificates = List.copyOf(certificates);
        if (this.certificates.isEmpty()) {
            throw new IllegalArgumentException("a signer needs its certificate");
        }
    }

    /** Signs {@code manifest}, the exact bytes of the file named {@code manifestName}, with SHA-256. */
    public OvfCertificate sign(String manifestName, byte[] manifest) {
        try {
            Signature signature = Signature.getInstance(
                    OvfCertificate.signatureAlgorithm(OvfDigestAlgorithm.SHA256, key.getAlgorithm()));
            signature.initSign(key);
            signature.update(manifest);
            return new OvfCertificate(OvfDigestAlgorithm.SHA256, manifestName, Streams.hex(signature.sign()),
                    certificates);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with a " + key.getAlgorithm() + " key", e);
        }
    }
}
