package io.vcc.ovf;

import io.vcc.ovf.OvfException.Reason;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies a package laid out as files: the descriptor, its sibling manifest ({@code name.mf}) and optional
 * certificate ({@code name.cert}), and every file the descriptor references. Each referenced file must be
 * present (a regular file, not reached through a link), listed in the manifest, of the size References
 * states and of the digest the manifest states; the certificate, when present, must verify.
 * Cheap checks run for all files before any file is hashed. Thread-safe.
 */
public final class OvfPackageVerifier {

    private final OvfLimits limits;
    private final PackageOptions options;
    private final OvfDescriptorReader descriptorReader;

    public OvfPackageVerifier() {
        this(OvfLimits.defaults());
    }

    public OvfPackageVerifier(OvfLimits limits) {
        this(limits, PackageOptions.defaults());
    }

    public OvfPackageVerifier(OvfLimits limits, PackageOptions options) {
        this.limits = limits;
        this.options = options;
        this.descriptorReader = new OvfDescriptorReader(limits);
    }

    /** Verifies the package whose descriptor is {@code descriptor}; files are resolved against its directory. */
    public OvfPackage verify(Path descriptor) throws IOException {
        return verify(descriptor, Map.of());
    }

    /**
     * Verifies the package as {@link #verify(Path)} does, except that a file named in {@code knownSha256} is not
     * read again: the caller has already established its SHA-256 (a transfer's receiver checked every chunk of
     * it against digests the source took in the same pass as this one), and the manifest must state exactly
     * that. Its size is still checked against References.
     */
    public OvfPackage verify(Path descriptor, Map<String, String> knownSha256) throws IOException {
        Path directory = descriptor.toAbsolutePath().normalize().getParent();
        String descriptorName = PackagePaths.normalize(descriptor.getFileName().toString());
        Path descriptorPath = existing(directory, descriptorName, Reason.MISSING_FILE);
        byte[] descriptorBytes = Streams.readBounded(descriptorPath, limits.maxDescriptorBytes(), "descriptor");
        OvfDescriptorReader.Chosen chosen = descriptorReader.readChoosing(descriptorBytes, options.deploymentOption());
        OvfEnvelope envelope = chosen.envelope();
        Map<String, FileReference> references = new LinkedHashMap<>();
        envelope.files().forEach(file -> references.put(PackagePaths.normalize(file.href()), file));

        String manifestName = OvfPackage.manifestName(descriptorName);
        Path certificatePath = PackagePaths.resolve(directory, OvfPackage.certificateName(descriptorName));
        if (!options.manifestRequired() && !Files.exists(PackagePaths.resolve(directory, manifestName), LinkOption.NOFOLLOW_LINKS)) {
            if (Files.exists(certificatePath, LinkOption.NOFOLLOW_LINKS)) {
                throw new OvfException(Reason.MISSING_MANIFEST, "the package has a certificate but not the manifest "
                        + manifestName + " it signs");
            }
            // Nothing vouches for the bytes; the sizes the descriptor states are all there is to check.
            checkPresenceAndSizes(directory, references);
            return new OvfPackage(descriptorName, envelope, null, null, chosen.deploymentOption());
        }
        byte[] manifestBytes = Streams.readBounded(existing(directory, manifestName, Reason.MISSING_MANIFEST),
                limits.maxManifestBytes(), "manifest");
        OvfManifest manifest = OvfManifest.parse(manifestBytes);
        OvfCertificate certificate = null;
        if (Files.exists(certificatePath, LinkOption.NOFOLLOW_LINKS)) {
            certificate = OvfCertificate.parse(Streams.readBounded(existing(directory,
                    OvfPackage.certificateName(descriptorName), Reason.MISSING_FILE),
                    limits.maxCertificateBytes(), "certificate"));
            PackageChecks.certificate(certificate, manifestName, manifestBytes);
        }

        PackageChecks.manifestCoversExactly(manifest, descriptorName, references.keySet());
        manifest.entry(descriptorName).ifPresent(expected -> PackageChecks.digest(expected,
                Streams.hex(expected.algorithm().newDigest().digest(descriptorBytes))));

        Map<String, Path> paths = checkPresenceAndSizes(directory, references);
        for (Map.Entry<String, Path> file : paths.entrySet()) {
            ManifestEntry expected = PackageChecks.listed(manifest, file.getKey());
            String known = knownSha256.get(file.getKey());
            if (known != null && expected.algorithm() == OvfDigestAlgorithm.SHA256) {
                PackageChecks.digest(expected, known.toLowerCase(java.util.Locale.ROOT));
                continue;
            }
            Streams.FileDigests actual = Streams.digest(file.getValue(), List.of(expected.algorithm()));
            // The size again: a file that changed while we read it must not pass on its old digest.
            PackageChecks.size(references.get(file.getKey()), actual.size());
            PackageChecks.digest(expected, actual.hex());
        }
        return new OvfPackage(descriptorName, envelope, manifest, certificate, chosen.deploymentOption());
    }

    private Map<String, Path> checkPresenceAndSizes(Path directory, Map<String, FileReference> references)
            throws IOException {
        Map<String, Path> paths = new LinkedHashMap<>();
        long total = 0;
        for (Map.Entry<String, FileReference> reference : references.entrySet()) {
            Path path = existing(directory, reference.getKey(), Reason.MISSING_FILE);
            long size = Files.size(path);
            if (size > limits.maxFileBytes()) {
                throw new OvfException(Reason.TOO_LARGE, "'" + PackagePaths.printable(reference.getKey()) + "' has "
                        + size + " bytes, more than the limit of " + limits.maxFileBytes());
            }
            total += size;
            if (total > limits.maxPackageBytes()) {
                throw new OvfException(Reason.TOO_LARGE, "the package exceeds the limit of "
                        + limits.maxPackageBytes() + " bytes");
            }
            PackageChecks.size(reference.getValue(), size);
            paths.put(reference.getKey(), path);
        }
        return paths;
    }

    static Path existing(Path directory, String name, Reason absent) {
        Path path = PackagePaths.resolve(directory, name);
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new OvfException(absent, "'" + PackagePaths.printable(name) + "' is not a file in " + directory);
        }
        return path;
    }
}
