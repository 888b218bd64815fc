package io.vcc.ovf;

/**
 * A disk item of a virtual machine: which {@link VirtualDisk} is attached where.
 *
 * @param diskId     the {@link VirtualDisk#diskId()} the item's {@code HostResource} names
 * @param controller the controller the disk is attached to, or {@code null} when the item names no parent
 * @param unit       {@code AddressOnParent} (unit number on the controller), or {@code null}
 */
public record DiskAttachment(String diskId, StorageController controller, Integer unit) {

    public DiskAttachment {
        FileReference.requireText(diskId, "attached disk id");
        if (unit != null && unit < 0) {
            throw new IllegalArgumentException("negative unit number for disk " + diskId);
        }
    }
}
