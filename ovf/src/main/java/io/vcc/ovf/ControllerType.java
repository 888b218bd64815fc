package io.vcc.ovf;

import java.util.Optional;

/** Disk controllers by CIM RASD {@code ResourceType}. */
public enum ControllerType {
    IDE(5),
    /** Parallel SCSI HBA; the subtype says which (lsilogic, lsilogicsas, VirtualSCSI, buslogic). */
    SCSI(6),
    /** "Other storage device": SATA ({@code vmware.sata.ahci}, {@code AHCI}) and NVMe, told apart by subtype. */
    OTHER_STORAGE(20);

    private final int resourceType;

    ControllerType(int resourceType) {
        this.resourceType = resourceType;
    }

    public int resourceType() {
        return resourceType;
    }

    public static Optional<ControllerType> ofResourceType(int resourceType) {
        for (ControllerType type : values()) {
            if (type.resourceType == resourceType) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
