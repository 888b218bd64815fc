package io.vcc.node.upload;

import io.vcc.api.problem.VccProblemException;
import io.vcc.node.packaging.Staging;
import io.vcc.node.packaging.StagingBudget;
import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * An upload's place in the staging area ({@code staging/uploads/<id>/}: {@code upload.ova}, or the OVF upload's
 * files in {@code package/}, where an OVA is also extracted) and its end there: discarded with its reservation
 * when it is aborted or imported, and refused (FAILED with the problem) when its package is not acceptable.
 */
@Component
class UploadStaging {

    static final String OVA = "upload.ova";
    /** The extracted OVA, or the OVF upload's descriptor and files as they arrive. */
    private static final String PACKAGE = "package";
    private static final Logger log = LoggerFactory.getLogger(UploadStaging.class);

    private final Staging staging;
    private final StagingBudget budget;
    private final PackageUploads uploads;
    private final DescriptorInspection inspection;

    UploadStaging(Staging staging, StagingBudget budget, PackageUploads uploads, DescriptorInspection inspection) {
        this.staging = staging;
        this.budget = budget;
        this.uploads = uploads;
        this.inspection = inspection;
    }

    Path dir(UUID id) {
        return staging.uploadDir(id);
    }

    Path packageDir(UUID id) {
        return dir(id).resolve(PACKAGE);
    }

    /** Where the upload's own bytes go: the OVA, or the OVF descriptor beside the files that follow it. */
    Path stagedFile(PackageUploads.Upload upload) {
        return upload.ovf() ? Staging.file(packageDir(upload.id()), upload.descriptorName()) : dir(upload.id()).resolve(OVA);
    }

    /** Removes the upload's staged bytes and gives back its reservation. */
    void discard(UUID id) throws IOException {
        Staging.deleteTree(dir(id));
        budget.release(id);
        inspection.forget(id);
    }

    /** Marks the upload FAILED with the problem and discards its staging; answers the problem, for the caller to throw. */
    VccProblemException refuse(UUID id, VccProblemException problem) {
        uploads.failed(id, problem.type(), problem.getMessage());
        try {
            Staging.deleteTree(dir(id));
        } catch (IOException e) {
            log.warn("Could not remove the staging of refused upload {}: {}", id, e.toString());
        }
        budget.release(id);
        inspection.forget(id);
        log.info("Upload {} refused: {}", id, problem.getMessage());
        return problem;
    }
}
