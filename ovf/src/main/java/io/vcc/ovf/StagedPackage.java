package io.vcc.ovf;

import io.vcc.ovf.OvfException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;

/**
 * The small parts of a package staged in a directory, read and checked before it is packed as an OVA:
 * the descriptor, the manifest covering exactly the descriptor and its files, and the certificate over the
 * manifest when there is one. The large files stay on disk for the caller to stream.
 */
record StagedPackage(Path directory, String descriptorName, byte[] descriptorBytes, OvfEnvelope envelope,
                     String manifestName, byte[] manifestBytes, OvfManifest manifest, String certificateName,
                     byte[] certificateBytes) {

    static StagedPackage read(Path descriptor, OvfLimits limits, OvfDescriptorReader reader) throws IOException {
        Path directory = descriptor.toAbsolutePath().normalize().getParent();
        String descriptorName = PackagePaths.normalize(descriptor.getFileName().toString());
        byte[] descriptorBytes = Streams.readBounded(
                OvfPackageVerifier.existing(directory, descriptorName, Reason.MISSING_FILE),
                limits.maxDescriptorBytes(), "descriptor");
        OvfEnvelope envelope = reader.read(descriptorBytes);
        String manifestName = OvfPackage.manifestName(descriptorName);
        byte[] manifestBytes = Streams.readBounded(
                OvfPackageVerifier.existing(directory, manifestName, Reason.MISSING_MANIFEST),
                limits.maxManifestBytes(), "manifest");
        OvfManifest manifest = OvfManifest.parse(manifestBytes);
        String certificateName = OvfPackage.certificateName(descriptorName);
        byte[] certificateBytes = null;
        if (Files.exists(PackagePaths.resolve(directory, certificateName), LinkOption.NOFOLLOW_LINKS)) {
            certificateBytes = Streams.readBounded(OvfPackageVerifier.existing(directory, certificateName,
                    Reason.MISSING_FILE), limits.maxCertificateBytes(), "certificate");
            PackageChecks.certificate(OvfCertificate.parse(certificateBytes), manifestName, manifestBytes);
        }
        PackageChecks.manifestCoversExactly(manifest, descriptorName,
                new HashSet<>(envelope.files().stream().map(file -> PackagePaths.normalize(file.href())).toList()));
        return new StagedPackage(directory, descriptorName, descriptorBytes, envelope, manifestName, manifestBytes,
                manifest, certificateName, certificateBytes);
    }
}
