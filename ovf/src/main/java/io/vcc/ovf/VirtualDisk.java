package io.vcc.ovf;

/**
 * A {@code DiskSection/Disk}.
 *
 * @param diskId        {@code ovf:diskId}, what hardware items point at with {@code ovf:/disk/<diskId>}
 * @param fileRef       id of the backing {@link FileReference}, or {@code null} for a blank disk to create
 * @param capacityBytes capacity with {@code ovf:capacityAllocationUnits} already applied
 * @param format        {@code ovf:format} URI, e.g. the VMDK streamOptimized one, or {@code null} for a blank disk
 * @param populatedSize {@code ovf:populatedSize} in bytes, or {@code null}
 */
public record VirtualDisk(String diskId, String fileRef, long capacityBytes, String format, Long populatedSize) {

    /** The format URI of VMDK streamOptimized images, what VMware and VirtualBox export. */
    public static final String VMDK_STREAM_OPTIMIZED =
            "http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized";

    public VirtualDisk {
        FileReference.requireText(diskId, "disk id");
        if (capacityBytes <= 0) {
            throw new IllegalArgumentException("disk " + diskId + " has no positive capacity");
        }
        if (populatedSize != null && populatedSize < 0) {
            throw new IllegalArgumentException("disk " + diskId + " has a negative populated size");
        }
    }
}
