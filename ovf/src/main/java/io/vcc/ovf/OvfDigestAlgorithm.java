package io.vcc.ovf;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;

/** Digest algorithms of OVF manifests, by the name manifests use. SHA-1 is read, never written. */
public enum OvfDigestAlgorithm {
    SHA1("SHA1", "SHA-1"),
    SHA256("SHA256", "SHA-256"),
    SHA512("SHA512", "SHA-512");

    private final String manifestName;
    private final String jcaName;

    OvfDigestAlgorithm(String manifestName, String jcaName) {
        this.manifestName = manifestName;
        this.jcaName = jcaName;
    }

    /** As written in a manifest line, e.g. {@code SHA256}. */
    public String manifestName() {
        return manifestName;
    }

    public MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides " + jcaName, e);
        }
    }

    /** Length of the digest in hex digits. */
    public int hexLength() {
        return newDigest().getDigestLength() * 2;
    }

    /** The algorithm of a manifest line's prefix, case-insensitively. */
    public static Optional<OvfDigestAlgorithm> ofManifestName(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        for (OvfDigestAlgorithm algorithm : values()) {
            if (algorithm.manifestName.equals(upper)) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }
}
