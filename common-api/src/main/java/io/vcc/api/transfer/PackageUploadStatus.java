package io.vcc.api.transfer;

import java.time.Instant;

/**
 * An upload of a package (an OVA) into a VDC, as its node keeps it.
 *
 * @param offset        bytes durably received (written and fsynced); where the next upload request starts
 * @param length        the OVA's size, declared when the upload was created
 * @param importedId    the imported VM, vApp or template ({@code kind}) once {@code SUCCEEDED}
 * @param problemType   the problem type ({@code urn:vcc:problem:...}) when {@code FAILED}
 * @param problemDetail why it failed, for a person
 */
public record PackageUploadStatus(String id, String vdcId, String name, PackageKind kind, PackageUploadState state,
                                  long offset, long length, String importedId, String problemType, String problemDetail,
                                  Instant createdAt, Instant updatedAt) {
}
