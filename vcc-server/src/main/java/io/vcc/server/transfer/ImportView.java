package io.vcc.server.transfer;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.PackageKind;
import io.vcc.api.transfer.PackageUploadFile;
import io.vcc.api.transfer.PackageUploadState;
import io.vcc.api.transfer.PackageUploadStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A package import into a VDC: how far its upload is ({@code offset} of {@code length} bytes durably
 * received), what it becomes ({@code kind}), its state, the imported VM, vApp or template once it succeeded,
 * and the problem when it was refused. An import of an OVF descriptor ({@code descriptorName}) also shows
 * the files that follow it: each with its length once its upload was created (null while only expected)
 * and its offset. {@code deploymentOption} is the package's deployment option asked for, and once imported the
 * one imported (its default when none was asked). {@code verified} says, once imported, whether a manifest vouched
 * for the package's files; {@code unsignedAllowedBy} who allowed a package without one ({@code vdc}: the VDC's
 * setting; {@code admin:<user>}: an admin on this upload), null when a manifest is required.
 */
record ImportView(String id, UUID vdcId, String name, PackageKind kind, PackageUploadState state, long offset, long length,
                  String importedId, Problem problem, Instant createdAt, Instant updatedAt, String descriptorName,
                  List<PackageUploadFile> files, String deploymentOption, Boolean verified, String unsignedAllowedBy) {

    /** Why an import was refused: an RFC 7807 type ({@code urn:vcc:problem:...}) and a detail. */
    record Problem(String type, String detail) {
    }

    /** Where one upload of the import is: its own bytes, or one of its files. */
    record Progress(long offset, long length) {
    }

    static ImportView of(UUID vdcId, PackageUploadStatus status) {
        Problem problem = status.problemType() == null ? null : new Problem(status.problemType(), status.problemDetail());
        return new ImportView(status.id(), vdcId, status.name(), status.kind(), status.state(), status.offset(), status.length(),
                status.importedId(), problem, status.createdAt(), status.updatedAt(), status.descriptorName(), status.files(),
                status.deploymentOption(), status.verified(), status.unsignedAllowedBy());
    }

    /** The import's own progress for {@code fileName} null, else that file's, when its upload was created. */
    Progress progress(String fileName) {
        if (fileName == null) {
            return new Progress(offset, length);
        }
        return files.stream().filter(file -> file.name().equals(fileName) && file.length() != null).findFirst()
                .map(file -> new Progress(file.offset(), file.length()))
                .orElseThrow(() -> new VccProblemException(ProblemType.NOT_FOUND, "Import " + id + " has no file '" + fileName
                        + "' being uploaded; create its upload (POST .../files) first"));
    }
}
