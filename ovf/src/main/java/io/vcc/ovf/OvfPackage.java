package io.vcc.ovf;

import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

/**
 * A package that passed verification: its descriptor, manifest and, when signed, its certificate (whose
 * signature verified).
 *
 * @param descriptorName   the descriptor's file name, e.g. {@code web01.ovf}
 * @param envelope         the descriptor's content, with the hardware of {@code deploymentOption}
 * @param manifest         the manifest every referenced file matched; {@code null} only when the package had
 *                         none and was read with {@link PackageOptions#manifestRequired()} false
 * @param certificate      the verified certificate, or {@code null} for an unsigned package
 * @param deploymentOption the deployment option whose hardware {@code envelope} has, or {@code null} when the
 *                         package offers none
 */
public record OvfPackage(String descriptorName, OvfEnvelope envelope, OvfManifest manifest,
                         OvfCertificate certificate, String deploymentOption) {

    public OvfPackage {
        descriptorName = PackagePaths.normalize(descriptorName);
        Objects.requireNonNull(envelope, "envelope");
        if (manifest == null && certificate != null) {
            throw new IllegalArgumentException("a certificate signs a manifest; this package has none");
        }
    }

    /** A package with a manifest, without deployment options. */
    public OvfPackage(String descriptorName, OvfEnvelope envelope, OvfManifest manifest, OvfCertificate certificate) {
        this(descriptorName, envelope, Objects.requireNonNull(manifest, "manifest"), certificate, null);
    }

    /** Whether a manifest vouched for every file's bytes. */
    public boolean verified() {
        return manifest != null;
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
