package io.vcc.node.transfer;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.ExportRequest;
import io.vcc.api.transfer.JobState;
import io.vcc.api.transfer.PackageFile;
import io.vcc.api.transfer.TransferJobStatus;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The transfer engine's export for other features of the node (an OVA download): a VM, vApp or template as an
 * OVF package in the staging area, made by the same export job a transfer's source runs, under an id of the
 * caller's own.
 */
@Component
public class PackageExports {

    private final SourceExport source;
    private final TransferService transfers;
    private final TransferJobs jobs;

    PackageExports(SourceExport source, TransferService transfers, TransferJobs jobs) {
        this.source = source;
        this.transfers = transfers;
        this.jobs = jobs;
    }

    /**
     * Exports and waits for the export job to end; answers the package's files, or throws the job's problem.
     * An export already complete under this id is answered at once.
     */
    public List<PackageFile> export(UUID exportId, ExportRequest request) {
        String what = request.kind() + " " + request.sourceId();
        TransferJobStatus status = source.export(exportId, request);
        if (status.state() == JobState.RUNNING) {
            try {
                status = jobs.await(exportId, "export").orElse(status);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VccProblemException(ProblemType.INTERNAL, "Interrupted while exporting " + what);
            }
        }
        if (status.state() == JobState.FAILED) {
            ProblemType type = status.errorType() == null ? null
                    : ProblemType.fromUri(URI.create("urn:vcc:problem:" + status.errorType()));
            throw new VccProblemException(type == null ? ProblemType.INTERNAL : type, "Exporting " + what + " failed: " + status.error());
        }
        if (status.state() != JobState.DONE) {
            throw new VccProblemException(ProblemType.INTERNAL, "The export of " + what + " was stopped");
        }
        return status.files();
    }

    /** The package exported under the id, once its export is complete. */
    public Optional<List<PackageFile>> exported(UUID exportId) throws IOException {
        return source.exported(exportId);
    }

    /** Where the exported package's files are. */
    public Path directory(UUID exportId) {
        return source.exportDir(exportId);
    }

    /** Removes the export: its job stopped, its staging and what it recorded. */
    public void remove(UUID exportId) throws IOException {
        transfers.cleanup(exportId);
    }
}
