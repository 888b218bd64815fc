package io.vcc.ovf;

import java.util.Locale;

/**
 * A package or descriptor was refused. Unchecked because callers map it to an RFC 7807 problem by its
 * {@link #reason()} rather than recover from it; I/O failures of the caller's own storage stay
 * {@link java.io.IOException}s.
 */
public class OvfException extends RuntimeException {

    /** Why a package was refused; the names are stable and meant for machines (problem types). */
    public enum Reason {
        /** The descriptor is not well-formed XML or not a valid OVF envelope. */
        MALFORMED_DESCRIPTOR,
        /** A manifest line is not {@code ALG(name)= hex}, or an entry repeats. */
        MALFORMED_MANIFEST,
        /** The certificate file has no signature line or no readable X.509 certificate. */
        MALFORMED_CERTIFICATE,
        /** The OVA is not a readable tar (truncated, bad checksum, not a tar at all). */
        MALFORMED_ARCHIVE,
        /** The descriptor carries a DOCTYPE, entity declarations or other constructs we never process. */
        UNSAFE_XML,
        /** A file name is absolute, climbs out with {@code ..}, or otherwise escapes the package. */
        PATH_TRAVERSAL,
        /** An OVA member is not a regular file (link, device, FIFO, directory). */
        UNSAFE_MEMBER,
        /** OVA members are out of the order DSP0243 requires (descriptor first, manifest before certificate). */
        MEMBER_ORDER,
        /** An OVA member is neither the descriptor, its manifest, its certificate nor a referenced file. */
        UNEXPECTED_MEMBER,
        /** A file the descriptor references, or one the manifest lists, is absent. */
        MISSING_FILE,
        /** The package has no manifest. */
        MISSING_MANIFEST,
        /** A referenced file is not listed in the manifest. */
        NOT_IN_MANIFEST,
        /** A file's digest differs from the manifest. */
        DIGEST_MISMATCH,
        /** A file's size differs from {@code ovf:size} in the descriptor's References. */
        SIZE_MISMATCH,
        /** The certificate's signature over the manifest does not verify. */
        BAD_SIGNATURE,
        /** A descriptor, manifest, member, member count or the whole package exceeds {@link OvfLimits}. */
        TOO_LARGE,
        /** A deployment option was asked for that the descriptor's {@code DeploymentOptionSection} does not offer. */
        UNKNOWN_DEPLOYMENT_OPTION,
        /** Valid OVF that this codec does not handle (chunked files, remote hrefs, unknown units, ...). */
        UNSUPPORTED;

        /** Kebab-case form, e.g. {@code digest-mismatch}, suitable as the last segment of a problem type URI. */
        public String code() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private static final long serialVersionUID = 1L;

    private final Reason reason;

    public OvfException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public OvfException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public String getMessage() {
        return reason + ": " + super.getMessage();
    }

    /** The message without the reason prefix, for a problem's {@code detail}. */
    public String detail() {
        return super.getMessage();
    }
}
