package io.vcc.api.transfer;

import java.time.Instant;

/**
 * An upload of a package (an OVA) into a VDC, as its node keeps it.
 *
 * @param offset        bytes durably received (written and fsynced); where the next upload request starts
 * @param length        the OVA's size, declared when the upload was created
 * @param vmId          the imported VM once {@code SUCCEEDED}
 * @param problemType   the problem type ({@code urn:vcc:problem:...}) when {@code FAILED}
 * @param problemDetail why it failed, for a person
 */
public record PackageUploadStatus(String id, String vdcId, String name, PackageUploadState state, long offset,
                                  long length, String vmId, String problemType, String problemDetail,
                                  Instant createdAt, Instant updatedAt) {
}
