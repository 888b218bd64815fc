package io.vcc.ovf;

import io.vcc.ovf.OvfException.Reason;

import java.util.Locale;
import java.util.Objects;

/**
 * One manifest line, {@code SHA256(name)= hex}.
 *
 * @param algorithm the digest algorithm
 * @param fileName  the file, relative to the descriptor, in normalized form
 * @param digest    lower-case hex digest
 */
public record ManifestEntry(OvfDigestAlgorithm algorithm, String fileName, String digest) {

    public ManifestEntry {
        Objects.requireNonNull(algorithm, "algorithm");
        fileName = PackagePaths.normalize(fileName);
        digest = digest.toLowerCase(Locale.ROOT);
        if (digest.length() != algorithm.hexLength() || !digest.chars().allMatch(ManifestEntry::isHex)) {
            throw new OvfException(Reason.MALFORMED_MANIFEST, "digest of '" + PackagePaths.printable(fileName)
                    + "' is not " + algorithm.hexLength() + " hex digits of " + algorithm.manifestName());
        }
    }

    String line() {
        return algorithm.manifestName() + "(" + fileName + ")= " + digest + "\n";
    }

    private static boolean isHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }
}
