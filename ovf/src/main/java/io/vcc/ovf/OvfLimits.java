package io.vcc.ovf;

/**
 * Upper bounds applied to untrusted packages. Exceeding one is {@link OvfException.Reason#TOO_LARGE}.
 *
 * @param maxDescriptorBytes  largest descriptor read into memory
 * @param maxManifestBytes    largest manifest read into memory
 * @param maxCertificateBytes largest certificate file read into memory
 * @param maxMembers          most OVA members (or referenced files) in one package
 * @param maxFileBytes        largest single file (disk image)
 * @param maxPackageBytes     largest sum of all files
 * @param maxXmlDepth         deepest element nesting in the descriptor
 */
public record OvfLimits(long maxDescriptorBytes, long maxManifestBytes, long maxCertificateBytes, int maxMembers,
                        long maxFileBytes, long maxPackageBytes, int maxXmlDepth) {

    private static final long MIB = 1L << 20;
    private static final long TIB = 1L << 40;

    public OvfLimits {
        if (maxDescriptorBytes <= 0 || maxManifestBytes <= 0 || maxCertificateBytes <= 0 || maxMembers <= 0
                || maxFileBytes <= 0 || maxPackageBytes <= 0 || maxXmlDepth <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /**
     * Generous for real appliances (the largest vendor descriptors, with many deployment options and EULAs,
     * are a few hundred KiB; disks are at most a few TiB) yet small enough that a hostile descriptor cannot
     * exhaust the heap.
     */
    public static OvfLimits defaults() {
        return new OvfLimits(4 * MIB, MIB, 256 * 1024, 1024, 8 * TIB, 64 * TIB, 64);
    }

    public OvfLimits withMaxDescriptorBytes(long value) {
        return new OvfLimits(value, maxManifestBytes, maxCertificateBytes, maxMembers, maxFileBytes,
                maxPackageBytes, maxXmlDepth);
    }

    public OvfLimits withMaxMembers(int value) {
        return new OvfLimits(maxDescriptorBytes, maxManifestBytes, maxCertificateBytes, value, maxFileBytes,
                maxPackageBytes, maxXmlDepth);
    }

    public OvfLimits withMaxFileBytes(long value) {
        return new OvfLimits(maxDescriptorBytes, maxManifestBytes, maxCertificateBytes, maxMembers, value,
                maxPackageBytes, maxXmlDepth);
    }

    public OvfLimits withMaxPackageBytes(long value) {
        return new OvfLimits(maxDescriptorBytes, maxManifestBytes, maxCertificateBytes, maxMembers, maxFileBytes,
                value, maxXmlDepth);
    }
}
