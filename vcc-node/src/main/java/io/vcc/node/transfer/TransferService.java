package io.vcc.node.transfer;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.PeerGrant;
import io.vcc.api.transfer.TransferJobStatus;
import io.vcc.node.adapter.HypervisorAdapter;
import io.vcc.node.packaging.Staging;
import io.vcc.node.packaging.StagingBudget;
import java.io.IOException;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * A node's part of a transfer (seed 002, FIG. 17–19) where both roles meet: the grant the server gives for the
 * peer (SERVE on the source of a pull, ACCEPT on the target of a push: which node moves the bytes is decided
 * once, by the server), the status of this node's jobs, and the cleanup that ends the transfer here. The phases
 * themselves are the roles': {@link SourceExport} and {@link SourcePush} on the source, {@link TargetReceive}
 * and {@link TargetImport} on the target. Each phase is idempotent and resumes from what is on disk and in the
 * checkpoint log.
 */
@Service
class TransferService {

    private final HypervisorAdapter hypervisor;
    private final Staging staging;
    private final Checkpoints checkpoints;
    private final PeerGrants grants;
    private final TransferJobs jobs;
    private final StagingBudget budget;
    private final SourceExport export;
    private final TargetReceive target;

    TransferService(HypervisorAdapter hypervisor, Staging staging, Checkpoints checkpoints, PeerGrants grants, TransferJobs jobs,
                    StagingBudget budget, SourceExport export, TargetReceive target) {
        this.hypervisor = hypervisor;
        this.staging = staging;
        this.checkpoints = checkpoints;
        this.grants = grants;
        this.jobs = jobs;
        this.budget = budget;
        this.export = export;
        this.target = target;
    }

    void grant(UUID transferId, PeerGrant grant) throws IOException {
        grant.files().forEach(file -> Staging.checkName(file.name()));
        if (grant.role() == PeerGrant.Role.SERVE && export.exported(transferId).isEmpty()) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "Transfer " + transferId + " has no exported package here to serve");
        }
        if (grant.role() == PeerGrant.Role.ACCEPT) {
            target.accept(transferId, grant.files(), grant.vdcId());
        }
        grants.save(transferId, grant);
    }

    /** Where this node's job of the phase is, without starting anything; see {@link TransferJobs#status}. */
    TransferJobStatus status(UUID transferId, String phase) {
        return jobs.status(transferId, phase)
                .orElseThrow(() -> VccProblemException.notFound("Job " + phase + " of transfer", transferId.toString()));
    }

    /**
     * Ends the transfer here: its jobs stopped, its grant revoked, its checkpoints and staging removed, and
     * the VMs of an import that never committed (the node stopped in between) removed from the cloud.
     */
    void cleanup(UUID transferId) throws IOException {
        jobs.cancel(transferId);
        if (checkpoints.imported(transferId).isEmpty()) {
            hypervisor.discardImport(transferId.toString());
        }
        grants.revoke(transferId);
        checkpoints.delete(transferId);
        staging.delete(transferId);
        budget.release(transferId);
    }
}
