package io.vcc.api.ovf;

import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

/**
 * A package that passed verification: its descriptor, manifest and, when signed, its certificate (whose
 * signature verified).
 *
 * @param descriptorName the descriptor's file name, e.g. {@code web01.ovf}
 * @param envelope       the descriptor's content
 * @param manifest       the manifest every referenced file matched
 * @param certificate    the verified certificate, or {@code null} for an unsigned package
 */
public record OvfPackage(String descriptorName, OvfEnvelope envelope, OvfManifest manifest,
                         OvfCertificate certificate) {

    public OvfPackage {
        descriptorName = PackagePaths.normalize(descriptorName);
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(manifest, "manifest");
    }

    public String manifestName() {
        return manifestName(descriptorName);
    }

    public String certificateName() {
        return certificateName(descriptorName);
    }

    /** The certificate of whoever signed the manifest, when the package is signed. */
    public Optional<X509Certificate> signer() {
        return Optional.ofNullable(certificate).map(OvfCertificate::signer);
    }

    public static String manifestName(String descriptorName) {
        return PackagePaths.baseName(descriptorName) + ".mf";
    }

    public static String certificateName(String descriptorName) {
        return PackagePaths.baseName(descriptorName) + ".cert";
    }
}
