package io.vcc.api.transfer;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * Start receiving an OVA of {@code length} bytes for VDC {@code vdcId} of this node's cloud.
 *
 * @param name     the VM's, vApp's or template's name, or {@code null} for the package's own (made a valid name)
 * @param keepMacs keep the MAC addresses the package gives its NICs where they are free here; {@code null}
 *                 or false: new ones
 * @param kind     what the package becomes: a VM (the default), a vApp, or a template in the VDC's catalog
 * @param descriptorName {@code null} for an OVA; else this upload is an OVF descriptor of that file name, and the
 *                 files it references, its manifest and certificate follow as their own uploads
 *                 ({@link PackageFileRequest})
 * @param deploymentOption the package's deployment option (a {@code DeploymentOptionSection} configuration) to
 *                 import, or {@code null} for its default
 * @param unsignedAllowedBy who allowed this upload to be a package without a manifest ({@code vdc} for the VDC's
 *                 setting, {@code admin:<user>} for an admin's choice on the upload); {@code null}: a manifest is
 *                 required. Set by the server, which checks who may allow it.
 */
public record PackageUploadRequest(@NotBlank String vdcId, @Positive long length,
                                   @Size(max = 63) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*") String name,
                                   Boolean keepMacs, PackageKind kind,
                                   @Size(max = 255) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*\\.(?i:ovf)",
                                           message = "must be a plain file name ending in .ovf") String descriptorName,
                                   @Size(max = 255) @Pattern(regexp = "\\S+", message = "must be a configuration id")
                                   String deploymentOption,
                                   @Size(max = 200) String unsignedAllowedBy) {

    public PackageUploadRequest {
        kind = kind == null ? PackageKind.VM : kind;
    }

    public PackageUploadRequest(String vdcId, long length, String name, Boolean keepMacs, PackageKind kind) {
        this(vdcId, length, name, keepMacs, kind, null);
    }

    public PackageUploadRequest(String vdcId, long length, String name, Boolean keepMacs, PackageKind kind,
                                String descriptorName) {
        this(vdcId, length, name, keepMacs, kind, descriptorName, null, null);
    }
}
