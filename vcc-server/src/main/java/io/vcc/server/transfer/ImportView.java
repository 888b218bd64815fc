package io.vcc.server.transfer;

import io.vcc.api.transfer.PackageKind;
import io.vcc.api.transfer.PackageUploadState;
import io.vcc.api.transfer.PackageUploadStatus;
import java.time.Instant;
import java.util.UUID;

/**
 * A package import into a VDC: how far its upload is ({@code offset} of {@code length} bytes durably
 * received), what it becomes ({@code kind}), its state, the imported VM, vApp or template once it succeeded,
 * and the problem when it was refused.
 */
record ImportView(String id, UUID vdcId, String name, PackageKind kind, PackageUploadState state, long offset, long length,
                  String importedId, Problem problem, Instant createdAt, Instant updatedAt) {

    /** Why an import was refused: an RFC 7807 type ({@code urn:vcc:problem:...}) and a detail. */
    record Problem(String type, String detail) {
    }

    static ImportView of(UUID vdcId, PackageUploadStatus status) {
        Problem problem = status.problemType() == null ? null : new Problem(status.problemType(), status.problemDetail());
        return new ImportView(status.id(), vdcId, status.name(), status.kind(), status.state(), status.offset(), status.length(),
                status.importedId(), problem, status.createdAt(), status.updatedAt());
    }
}
