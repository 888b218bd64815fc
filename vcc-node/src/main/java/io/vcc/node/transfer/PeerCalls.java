package io.vcc.node.transfer;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.PeerTransferRequest;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What a node that moves bytes to or from its peer does around each call, on either side (a source pushing, a
 * target pulling): the peer's client with the transfer's credentials, the node-wide bandwidth cap, and the rule
 * for failures: a problem that will not go away by itself (the package invalid, not found, forbidden, a chunk
 * corrupt) ends the job, anything else (the peer down, restarting, the connection cut) is retried after
 * {@code retry-interval} with the reason shown on the job.
 */
@Component
class PeerCalls {

    private static final Set<ProblemType> PERMANENT = Set.of(ProblemType.PACKAGE_INVALID, ProblemType.NOT_FOUND,
            ProblemType.FORBIDDEN, ProblemType.VALIDATION);
    private static final Logger log = LoggerFactory.getLogger(PeerCalls.class);

    private final PeerUploads uploads;
    private final PeerDownloads downloads;
    private final RateLimiter limiter;
    private final TransferProperties properties;

    PeerCalls(PeerUploads uploads, PeerDownloads downloads, RateLimiter limiter, TransferProperties properties) {
        this.uploads = uploads;
        this.downloads = downloads;
        this.limiter = limiter;
        this.properties = properties;
    }

    PeerClient peer(UUID transferId, PeerTransferRequest request) {
        return new PeerClient(uploads, downloads, request.peerBaseUrl(), request.peerProxy(), transferId, request.username(), request.secret(),
                properties.peerConnectTimeout(), properties.peerReadTimeout());
    }

    void retryOrThrow(TransferJobs.Job job, Exception e) throws Exception {
        job.checkCancelled();
        if (e instanceof VccProblemException problem && (PERMANENT.contains(problem.type()) || problem.type() == ProblemType.CHUNK_CORRUPT)) {
            throw e;
        }
        if (e instanceof InterruptedException || e instanceof java.io.InterruptedIOException) {
            job.checkCancelled();
        }
        job.retrying(e);
        log.info("Transfer {} {}: {}; retrying in {}", job.transferId, job.phase, e.toString(), properties.retryInterval());
        try {
            Thread.sleep(properties.retryInterval().toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            job.checkCancelled();
        }
    }

    void throttle(long bytes) {
        try {
            limiter.acquire(bytes);
        } catch (java.io.InterruptedIOException e) {
            Thread.currentThread().interrupt();
        }
    }
}
