package io.vcc.ovf;

import java.util.Objects;

/**
 * The controller a disk hangs off.
 *
 * @param type    IDE, SCSI or other storage (SATA, NVMe)
 * @param subType {@code ResourceSubType} such as {@code lsilogic}, {@code VirtualSCSI}, {@code vmware.sata.ahci},
 *                {@code PIIX4}; {@code null} when the descriptor leaves it to the importer
 * @param bus     the controller's bus number ({@code Address}), 0 for the first controller of its type
 */
public record StorageController(ControllerType type, String subType, int bus) {

    public StorageController {
        Objects.requireNonNull(type, "controller type");
        if (bus < 0) {
            throw new IllegalArgumentException("negative controller bus");
        }
        if (subType != null && subType.isBlank()) {
            subType = null;
        }
    }
}
