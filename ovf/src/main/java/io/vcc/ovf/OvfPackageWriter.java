package io.vcc.ovf;

import io.vcc.ovf.OvfException.Reason;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Makes a package directory out of an envelope and the files it references, which must already be in the
 * directory: writes the descriptor, a SHA-256 manifest over the descriptor and every file, and, with a
 * signer, the certificate. Sizes missing from References are filled in from the files. Thread-safe.
 */
public final class OvfPackageWriter {

    private final OvfDescriptorWriter descriptorWriter = new OvfDescriptorWriter();

    public OvfPackage write(Path directory, String descriptorName, OvfEnvelope envelope) throws IOException {
        return write(directory, descriptorName, envelope, null);
    }

    /**
     * @param directory      where the referenced files are and the package files go
     * @param descriptorName e.g. {@code web01.ovf}; the manifest and certificate take its base name
     * @param signer         signs the manifest, or {@code null} for an unsigned package
     */
    public OvfPackage write(Path directory, String descriptorName, OvfEnvelope envelope, OvfSigner signer)
            throws IOException {
        String name = PackagePaths.normalize(descriptorName);
        if (!name.toLowerCase(Locale.ROOT).endsWith(".ovf") || name.contains("/")) {
            throw new IllegalArgumentException("a descriptor is named like 'name.ovf', in the package's top level");
        }
        List<FileReference> files = new ArrayList<>();
        List<ManifestEntry> entries = new ArrayList<>();
        for (FileReference file : envelope.files()) {
            Path path = OvfPackageVerifier.existing(directory, file.href(), Reason.MISSING_FILE);
            Streams.FileDigests digests = Streams.digest(path, List.of(OvfDigestAlgorithm.SHA256));
            PackageChecks.size(file, digests.size());
            files.add(new FileReference(file.id(), file.href(), digests.size(), file.compression()));
            entries.add(new ManifestEntry(OvfDigestAlgorithm.SHA256, file.href(),
                    digests.hex().get(OvfDigestAlgorithm.SHA256)));
        }
        OvfEnvelope sized = envelope.withFiles(files);
        byte[] descriptor = descriptorWriter.write(sized);
        entries.add(0, new ManifestEntry(OvfDigestAlgorithm.SHA256, name,
                Streams.hex(OvfDigestAlgorithm.SHA256.newDigest().digest(descriptor))));
        OvfManifest manifest = new OvfManifest(entries);
        byte[] manifestBytes = manifest.toBytes();

        writeFile(directory, name, descriptor);
        writeFile(directory, OvfPackage.manifestName(name), manifestBytes);
        OvfCertificate certificate = null;
        if (signer != null) {
            certificate = signer.sign(OvfPackage.manifestName(name), manifestBytes);
            writeFile(directory, OvfPackage.certificateName(name), certificate.toBytes());
        } else {
            // A stale certificate would sign a manifest that no longer exists.
            Files.deleteIfExists(PackagePaths.resolve(directory, OvfPackage.certificateName(name)));
        }
        return new OvfPackage(name, sized, manifest, certificate);
    }

    private static void writeFile(Path directory, String name, byte[] bytes) throws IOException {
        Files.write(PackagePaths.resolve(directory, name), bytes, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    }
}
