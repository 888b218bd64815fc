package io.vcc.node.transfer;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.CommittedOffset;
import io.vcc.api.transfer.PackageFile;
import io.vcc.api.transfer.PeerTransferRequest;
import io.vcc.api.transfer.TransferJobStatus;
import io.vcc.node.packaging.Staging;
import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The source's side of a push (seed 002, FIG. 18, the target public): each file of the exported package is
 * uploaded from the peer's committed offset to its end in one streaming request, while the peer is asked every
 * {@code progress-interval} how far it has committed (progress, and this node's side of the checkpoint log).
 * A corrupt chunk is sent again, up to {@code chunk-attempts} times.
 */
@Component
class SourcePush {

    private static final Logger log = LoggerFactory.getLogger(SourcePush.class);
    private static final JsonMapper JSON = JsonMapper.shared();

    private final SourceExport export;
    private final Checkpoints checkpoints;
    private final TransferJobs jobs;
    private final PeerCalls peers;
    private final TransferProperties properties;

    SourcePush(SourceExport export, Checkpoints checkpoints, TransferJobs jobs, PeerCalls peers, TransferProperties properties) {
        this.export = export;
        this.checkpoints = checkpoints;
        this.jobs = jobs;
        this.peers = peers;
        this.properties = properties;
    }

    TransferJobStatus push(UUID transferId, PeerTransferRequest request) {
        request.files().forEach(file -> Staging.checkName(file.name()));
        return jobs.startOrGet(transferId, "push", job -> {
            if (export.exported(transferId).isEmpty()) {
                throw new VccProblemException(ProblemType.INVALID_STATE, "Transfer " + transferId + " has no exported package here to push");
            }
            Path dir = export.exportDir(transferId);
            PeerClient peer = peers.peer(transferId, request);
            job.bytesTotal = request.files().stream().mapToLong(PackageFile::size).sum();
            for (PackageFile file : request.files()) {
                pushFile(job, peer, dir, file);
            }
            job.clearError();
        });
    }

    /**
     * Uploads the file from the peer's committed offset to its end in one streaming request (no round trip
     * per chunk); the peer verifies and checkpoints chunk by chunk as they arrive, so a break costs the
     * chunk in flight (and what the sockets held). Meanwhile the peer is asked every
     * {@code progress-interval} how far it has committed ({@link #awaitUpload}). A corrupt chunk ends the
     * request (422) and the upload goes on from that chunk.
     */
    private void pushFile(TransferJobs.Job job, PeerClient peer, Path dir, PackageFile file) throws Exception {
        UUID transferId = job.transferId;
        Path path = Staging.file(dir, file.name());
        Acknowledged acknowledged = new Acknowledged(job, file);
        long committed = -1;
        int attempts = 0;
        while (committed < file.size()) {
            job.checkCancelled();
            try {
                if (committed < 0) {
                    committed = acknowledged.record(peer.committedOffset(file.name()).committedOffset());
                    continue;
                }
                long offset = committed;
                // Up to the next chunk of zeros: the peer commits those without them (see committed()).
                long end = Zeros.nextChunk(file, offset);
                long length = (end > offset ? end : file.size()) - offset;
                PeerUploads.Answer answer = awaitUpload(job, peer, file, acknowledged,
                        peer.upload(file.name(), path, offset, length, file.chunkSize(), job.bytesOnWire::addAndGet));
                if (answer.status() == 401) {
                    peer.forgetSession();
                    committed = -1;
                    continue;
                }
                if (answer.status() == 422 || answer.status() == 409) {
                    VccProblemException problem = PeerClient.problem(answer.status(), answer.body());
                    if (problem.type() == ProblemType.CHUNK_CORRUPT) {
                        job.chunksResent.incrementAndGet();
                        long now = acknowledged.record(peer.committedOffset(file.name()).committedOffset());
                        attempts = now > offset ? 1 : attempts + 1;
                        if (attempts >= properties.chunkAttempts()) {
                            throw problem;
                        }
                        log.warn("Transfer {}: {}; sending it again", transferId, problem.getMessage());
                    }
                    committed = -1;
                    continue;
                }
                committed = acknowledged.record(JSON.treeToValue(PeerClient.json(answer.status(), answer.body()), CommittedOffset.class)
                        .committedOffset());
                attempts = 0;
                job.clearError();
            } catch (Exception e) {
                peers.retryOrThrow(job, e);
                committed = -1;
            }
        }
    }

    /** What the peer acknowledged of a file it receives: moves the job's progress and this node's log forward only. */
    private final class Acknowledged {
        private final TransferJobs.Job job;
        private final PackageFile file;
        private long counted;

        Acknowledged(TransferJobs.Job job, PackageFile file) {
            this.job = job;
            this.file = file;
        }

        synchronized long counted() {
            return counted;
        }

        synchronized long record(long peerCommitted) {
            if (peerCommitted > counted) {
                checkpoints.peerCommitted(job.transferId, file, peerCommitted);
                job.bytesDone.addAndGet(peerCommitted - counted);
                counted = peerCommitted;
            }
            return peerCommitted;
        }
    }

    /**
     * Waits for an upload's answer while asking the peer every {@code progress-interval} how far it has
     * committed (progress, and this node's side of the log). An upload that moves no byte and commits no
     * chunk for {@code peer-read-timeout} is aborted, as a stalled call would time out.
     */
    private PeerUploads.Answer awaitUpload(TransferJobs.Job job, PeerClient peer, PackageFile file, Acknowledged acknowledged,
                                           PeerUploads.Upload upload) throws IOException {
        long tick = Math.max(10, properties.progressInterval().toMillis());
        long stall = properties.peerReadTimeout().toNanos();
        long lastWire = -1;
        long lastCommitted = -1;
        long lastActivity = System.nanoTime();
        boolean answered = false;
        try {
            while (true) {
                job.checkCancelled();
                try {
                    PeerUploads.Answer answer = upload.answer().get(tick, java.util.concurrent.TimeUnit.MILLISECONDS);
                    answered = true;
                    return answer;
                } catch (java.util.concurrent.TimeoutException stillSending) {
                    try {
                        acknowledged.record(peer.committedOffset(file.name()).committedOffset());
                    } catch (IOException | VccProblemException e) {
                        log.debug("Transfer {}: progress poll failed: {}", job.transferId, e.toString());
                    }
                    long wire = job.bytesOnWire.get();
                    long committed = acknowledged.counted();
                    if (wire != lastWire || committed != lastCommitted) {
                        lastWire = wire;
                        lastCommitted = committed;
                        lastActivity = System.nanoTime();
                    } else if (System.nanoTime() - lastActivity > stall) {
                        throw new java.net.http.HttpTimeoutException("Upload of " + file.name() + " made no progress for "
                                + properties.peerReadTimeout());
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    answered = true;
                    throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while uploading");
                }
            }
        } finally {
            if (!answered) {
                upload.abort();
            }
        }
    }
}
