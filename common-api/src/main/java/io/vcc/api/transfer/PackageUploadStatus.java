package io.vcc.api.transfer;

import java.time.Instant;
import java.util.List;

/**
 * An upload of a package into a VDC, as its node keeps it: an OVA, or an OVF descriptor followed by its files.
 *
 * @param offset        bytes durably received (written and fsynced); where the next upload request starts
 * @param length        the OVA's (or the descriptor's) size, declared when the upload was created
 * @param importedId    the imported VM, vApp or template ({@code kind}) once {@code SUCCEEDED}
 * @param problemType   the problem type ({@code urn:vcc:problem:...}) when {@code FAILED}
 * @param problemDetail why it failed, for a person
 * @param descriptorName the descriptor's file name for an OVF upload, {@code null} for an OVA
 * @param files         an OVF upload's other files: what its descriptor references and its manifest once the
 *                      descriptor is in, and its certificate once that is sent; empty for an OVA
 * @param deploymentOption the deployment option asked for, and once imported the one imported (the package's
 *                      default when none was asked); {@code null} for a package without options
 * @param verified      once imported: whether a manifest vouched for the package's files ({@code false}: an
 *                      unsigned package someone allowed); {@code null} before
 * @param unsignedAllowedBy who allowed a package without a manifest ({@code vdc}: the VDC's setting;
 *                      {@code admin:<user>}: an admin on this upload), {@code null} when a manifest is required
 */
public record PackageUploadStatus(String id, String vdcId, String name, PackageKind kind, PackageUploadState state,
                                  long offset, long length, String importedId, String problemType, String problemDetail,
                                  Instant createdAt, Instant updatedAt, String descriptorName, List<PackageUploadFile> files,
                                  String deploymentOption, Boolean verified, String unsignedAllowedBy) {

    public PackageUploadStatus {
        files = files == null ? List.of() : List.copyOf(files);
    }
}
