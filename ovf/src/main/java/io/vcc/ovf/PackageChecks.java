package io.vcc.ovf;

import io.vcc.ovf.OvfException.Reason;

import java.util.Map;
import java.util.Set;

/** The rules a package meets whether it arrives as an OVA or sits in a directory. */
final class PackageChecks {

    private PackageChecks() {
    }

    /** Every referenced file must be covered by the manifest, or its bytes are vouched for by nobody. */
    static ManifestEntry listed(OvfManifest manifest, String href) {
        return manifest.entry(href).orElseThrow(() -> new OvfException(Reason.NOT_IN_MANIFEST,
                "'" + PackagePaths.printable(href) + "' is referenced but not listed in the manifest"));
    }

    /** Every reference must be listed, and every listed file must be the descriptor or a referenced file. */
    static void manifestCoversExactly(OvfManifest manifest, String descriptorName, Set<String> hrefs) {
        for (String href : hrefs) {
            listed(manifest, href);
        }
        for (ManifestEntry entry : manifest.entries()) {
            if (!entry.fileName().equals(descriptorName) && !hrefs.contains(entry.fileName())) {
                throw new OvfException(Reason.MISSING_FILE, "the manifest lists '"
                        + PackagePaths.printable(entry.fileName()) + "', which the descriptor does not reference");
            }
        }
    }

    static void size(FileReference file, long actual) {
        if (file.size() != null && file.size() != actual) {
            throw new OvfException(Reason.SIZE_MISMATCH, "'" + PackagePaths.printable(file.href()) + "' has "
                    + actual + " bytes, the descriptor says " + file.size());
        }
    }

    static void digest(ManifestEntry expected, String actualHex) {
        if (!expected.digest().equals(actualHex)) {
            throw new OvfException(Reason.DIGEST_MISMATCH, expected.algorithm().manifestName() + " of '"
                    + PackagePaths.printable(expected.fileName()) + "' is " + actualHex + ", the manifest says "
                    + expected.digest());
        }
    }

    static void digest(ManifestEntry expected, Map<OvfDigestAlgorithm, String> actual) {
        digest(expected, actual.get(expected.algorithm()));
    }

    /** The certificate must sign this package's manifest, and its signature must verify. */
    static void certificate(OvfCertificate certificate, String manifestName, byte[] manifest) {
        if (!certificate.manifestName().equals(manifestName)) {
            throw new OvfException(Reason.BAD_SIGNATURE, "the certificate signs '"
                    + PackagePaths.printable(certificate.manifestName()) + "', not the manifest '" + manifestName + "'");
        }
        certificate.verify(manifest);
    }
}
