package io.vcc.node.transfer;

import io.vcc.api.node.VdcInfo;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.CommittedOffset;
import io.vcc.api.transfer.PackageFile;
import io.vcc.api.transfer.PeerTransferRequest;
import io.vcc.api.transfer.TransferJobStatus;
import io.vcc.node.adapter.CloudInventory;
import io.vcc.node.packaging.Staging;
import io.vcc.node.packaging.StagingBudget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The target's side of moving the bytes: it accepts a package (its size reserved in the staging budget, its
 * files registered and created), receives a push's uploads ({@link #receive}, answering the committed offset)
 * or pulls the package from a public source ({@link #pull}). Either way the {@link ChunkReceiver} verifies each
 * chunk against the package's digests and checkpoints it once it is on disk; chunks of zeros are committed as
 * holes, never sent.
 */
@Component
class TargetReceive {

    private static final Logger log = LoggerFactory.getLogger(TargetReceive.class);

    private final Staging staging;
    private final Checkpoints checkpoints;
    private final TransferJobs jobs;
    private final StagingBudget budget;
    private final CloudInventory inventory;
    private final PeerCalls peers;
    private final TransferProperties properties;
    private final ChunkReceiver receiver;
    private final ConcurrentHashMap<String, ReentrantLock> uploadLocks = new ConcurrentHashMap<>();

    TargetReceive(Staging staging, Checkpoints checkpoints, TransferJobs jobs, StagingBudget budget, CloudInventory inventory,
                  PeerCalls peers, TransferProperties properties, TransferShutdown shutdown) {
        this.staging = staging;
        this.checkpoints = checkpoints;
        this.jobs = jobs;
        this.budget = budget;
        this.inventory = inventory;
        this.peers = peers;
        this.properties = properties;
        this.receiver = new ChunkReceiver(new ChunkPipeline(jobs.hashers, properties.pipelineBuffers(),
                (int) properties.receiveBufferSize().toBytes()), checkpoints, jobs.hashers, properties.commitWindow(), shutdown::stopping);
    }

    /** The package's size reserved and its files ready to be received: a push's grant (ACCEPT) or a pull. */
    void accept(UUID transferId, List<PackageFile> files, String vdcId) throws IOException {
        reserveIncoming(transferId, files, vdcId);
        prepareReceiving(transferId, files);
    }

    /**
     * Reserves the package's size in the staging area before anything of it is received here, charged to the
     * target VDC's organization; refuses with {@code staging-full}. Asked again (a retried grant or pull), it
     * reserves nothing more.
     */
    private void reserveIncoming(UUID transferId, List<PackageFile> files, String vdcId) {
        long size = files.stream().mapToLong(PackageFile::size).sum();
        String tenant = vdcId == null ? "(transfers without a VDC)"
                : inventory.vdc(vdcId).map(VdcInfo::organization).orElse("vdc " + vdcId);
        budget.reserve(transferId, "", StagingBudget.Kind.TRANSFER, tenant, size,
                "the package of transfer " + transferId);
    }

    /** The files to receive exist from the start, so that an empty one (a disk with no data) is there too. */
    private void prepareReceiving(UUID transferId, List<PackageFile> files) throws IOException {
        Path dir = Files.createDirectories(staging.importDir(transferId));
        for (PackageFile file : files) {
            checkpoints.register(transferId, Checkpoints.Side.TARGET, file);
            Path path = Staging.file(dir, file.name());
            if (!Files.exists(path)) {
                Files.createFile(path);
            }
        }
    }

    TransferJobStatus pull(UUID transferId, PeerTransferRequest request) {
        request.files().forEach(file -> Staging.checkName(file.name()));
        reserveIncoming(transferId, request.files(), request.vdcId());
        return jobs.startOrGet(transferId, "pull", job -> {
            Path dir = staging.importDir(transferId);
            prepareReceiving(transferId, request.files());
            PeerClient peer = peers.peer(transferId, request);
            job.bytesTotal = request.files().stream().mapToLong(PackageFile::size).sum();
            for (PackageFile file : request.files()) {
                job.bytesDone.addAndGet(checkpoints.committed(transferId, Checkpoints.Side.TARGET, file.name()));
            }
            for (PackageFile file : request.files()) {
                pullFile(job, peer, dir, file);
            }
            job.clearError();
        });
    }

    /**
     * Downloads the file from the committed offset to its end in one ranged request: chunks are verified
     * and checkpointed as they arrive (the {@link ChunkReceiver}), so a break costs at most the chunk in
     * flight. A corrupt chunk ends the request and is asked for again.
     */
    private void pullFile(TransferJobs.Job job, PeerClient peer, Path dir, PackageFile file) throws Exception {
        UUID transferId = job.transferId;
        Path path = Staging.file(dir, file.name());
        long before = checkpoints.committed(transferId, Checkpoints.Side.TARGET, file.name());
        long committed = receiver.recover(transferId, file, path);
        job.bytesDone.addAndGet(committed - before);
        int attempts = 0;
        boolean loggedInAgain = false;
        while (true) {
            job.checkCancelled();
            // Chunks of zeros are committed as holes, never fetched.
            long pastZeros = receiver.commitZeros(transferId, file, path);
            job.bytesDone.addAndGet(pastZeros - committed);
            committed = pastZeros;
            if (committed >= file.size()) {
                break;
            }
            long offset = committed;
            long end = Zeros.nextChunk(file, offset);
            try {
                try (PeerDownloads.Download download = peer.download(file.name(), offset, end, file.sha256())) {
                    PeerDownloads.Head head = download.head();
                    if (head.status() == 401 && !loggedInAgain) {
                        // the peer restarted and forgot the session
                        loggedInAgain = true;
                        peer.forgetSession();
                        continue;
                    }
                    loggedInAgain = false;
                    if (head.status() == 200) {
                        throw new VccProblemException(ProblemType.PACKAGE_INVALID, "The source's " + file.name() + " is no longer the exported file");
                    }
                    if (head.status() != 206) {
                        throw PeerClient.problem(head.status(), head.errorBody());
                    }
                    committed = receiver.receive(transferId, file, path, offset, end,
                            download.metered(job.bytesOnWire::addAndGet, peers::throttle), job.bytesDone::addAndGet);
                }
                attempts = 0;
                job.clearError();
            } catch (VccProblemException e) {
                if (e.type() != ProblemType.CHUNK_CORRUPT) {
                    peers.retryOrThrow(job, e);
                } else {
                    job.chunksResent.incrementAndGet();
                    long now = checkpoints.committed(transferId, Checkpoints.Side.TARGET, file.name());
                    attempts = now > offset ? 1 : attempts + 1;
                    if (attempts >= properties.chunkAttempts()) {
                        throw new VccProblemException(ProblemType.CHUNK_CORRUPT, e.getMessage() + "; " + attempts + " times");
                    }
                    log.warn("Transfer {}: {}; fetching it again", transferId, e.getMessage());
                }
                committed = checkpoints.committed(transferId, Checkpoints.Side.TARGET, file.name());
            } catch (Exception e) {
                peers.retryOrThrow(job, e);
                committed = checkpoints.committed(transferId, Checkpoints.Side.TARGET, file.name());
            }
        }
    }

    /**
     * An upload of whole chunks from the committed offset: one chunk, or a run of them up to the file's
     * end, each verified and checkpointed as it arrives. Answers the committed offset; a corrupt chunk
     * answers CHUNK_CORRUPT once the chunks before it are committed.
     */
    CommittedOffset receive(UUID transferId, PeerGrants.Grant grant, String name, long offset, InputStream body,
                            long contentLength, String claimedDigest) throws IOException {
        PackageFile file = grant.file(Staging.checkName(name)).orElseThrow(() -> VccProblemException.notFound("Package file", name));
        ReentrantLock lock = uploadLock(transferId, name);
        if (!lock.tryLock()) {
            throw new VccProblemException(ProblemType.CONFLICT, "Another upload of " + name + " is in progress");
        }
        try {
            long committed = checkpoints.committed(transferId, Checkpoints.Side.TARGET, name);
            if (offset != committed || committed >= file.size()) {
                throw new VccProblemException(ProblemType.OFFSET_MISMATCH, "Upload of " + name + " must start at " + committed
                        + " (of " + file.size() + "), not " + offset);
            }
            long end = offset + contentLength;
            if (contentLength <= 0 || end > file.size() || (end != file.size() && end % file.chunkSize() != 0)) {
                throw new VccProblemException(ProblemType.VALIDATION, "An upload of " + name + " at " + offset
                        + " must carry whole chunks, not " + contentLength + " bytes");
            }
            int index = (int) (offset / file.chunkSize());
            if (claimedDigest != null && !claimedDigest.equalsIgnoreCase(file.chunkSha256().get(index))) {
                throw new VccProblemException(ProblemType.CHUNK_CORRUPT, "Chunk " + index + " of " + name
                        + " was sent as SHA-256 " + claimedDigest + ", the package says " + file.chunkSha256().get(index));
            }
            Path dir = staging.importDir(transferId);
            Files.createDirectories(dir);
            Path path = Staging.file(dir, name);
            receiver.receive(transferId, file, path, offset, end, ChunkPipeline.source(body), null);
            return new CommittedOffset(name, receiver.commitZeros(transferId, file, path), file.size());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The committed offset of a file this node receives by upload; when no upload of it runs, chunks intact
     * in the staged file but not yet checkpointed (the node stopped meanwhile) are committed first, and then
     * the chunks of zeros that follow, which are never sent.
     */
    CommittedOffset committed(UUID transferId, PeerGrants.Grant grant, String name) {
        PackageFile file = grant.file(Staging.checkName(name)).orElseThrow(() -> VccProblemException.notFound("Package file", name));
        ReentrantLock lock = uploadLock(transferId, name);
        if (lock.tryLock()) {
            try {
                Path path = Staging.file(staging.importDir(transferId), name);
                receiver.recover(transferId, file, path);
                return new CommittedOffset(name, receiver.commitZeros(transferId, file, path), file.size());
            } catch (IOException e) {
                log.warn("Transfer {}: could not look for intact chunks of {}: {}", transferId, name, e.toString());
            } finally {
                lock.unlock();
            }
        }
        return new CommittedOffset(name, checkpoints.committed(transferId, Checkpoints.Side.TARGET, name), file.size());
    }

    private ReentrantLock uploadLock(UUID transferId, String name) {
        return uploadLocks.computeIfAbsent(transferId + "/" + name, key -> new ReentrantLock());
    }
}
