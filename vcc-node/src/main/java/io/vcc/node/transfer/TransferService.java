package io.vcc.node.transfer;

import io.vcc.api.node.VmInfo;
import io.vcc.api.ovf.ControllerType;
import io.vcc.api.ovf.DiskAttachment;
import io.vcc.api.ovf.FileReference;
import io.vcc.api.ovf.ManifestEntry;
import io.vcc.api.ovf.NetworkAdapter;
import io.vcc.api.ovf.OvfDescriptorReader;
import io.vcc.api.ovf.OvfDescriptorWriter;
import io.vcc.api.ovf.OvfDigestAlgorithm;
import io.vcc.api.ovf.OvfEnvelope;
import io.vcc.api.ovf.OvfException;
import io.vcc.api.ovf.OvfManifest;
import io.vcc.api.ovf.OvfNetwork;
import io.vcc.api.ovf.OvfPackage;
import io.vcc.api.ovf.OvfPackageVerifier;
import io.vcc.api.ovf.StorageController;
import io.vcc.api.ovf.VirtualDisk;
import io.vcc.api.ovf.VirtualHardware;
import io.vcc.api.ovf.VirtualSystem;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.CommittedOffset;
import io.vcc.api.transfer.ExportRequest;
import io.vcc.api.transfer.ImportRequest;
import io.vcc.api.transfer.PackageFile;
import io.vcc.api.transfer.PeerGrant;
import io.vcc.api.transfer.PeerTransferRequest;
import io.vcc.api.transfer.TransferJobStatus;
import io.vcc.api.transfer.VerifyRequest;
import io.vcc.node.adapter.HypervisorAdapter;
import io.vcc.node.adapter.VmImport;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A node's part of a transfer (seed 002, FIG. 17–19): export a VM into an OVF package, push it to or pull
 * it from the peer chunk by chunk with a checkpoint after every durable chunk, verify it against the
 * manifest, import it, and clean up. Each phase is idempotent and resumes from what is on disk and in the
 * checkpoint log.
 */
@Service
class TransferService {

    static final String RAW_FORMAT = "urn:vcc:disk-format:raw";
    static final String PACKAGE_INDEX = ".package.json";
    private static final long MIB = 1024L * 1024;
    private static final JsonMapper JSON = JsonMapper.shared();
    private static final Logger log = LoggerFactory.getLogger(TransferService.class);
    private static final Set<ProblemType> PERMANENT = Set.of(ProblemType.PACKAGE_INVALID, ProblemType.NOT_FOUND,
            ProblemType.FORBIDDEN, ProblemType.VALIDATION);

    private final HypervisorAdapter hypervisor;
    private final Staging staging;
    private final Checkpoints checkpoints;
    private final PeerGrants grants;
    private final TransferJobs jobs;
    private final RateLimiter limiter;
    private final TransferFaults faults;
    private final TransferProperties properties;
    private final TransactionTemplate transactions;
    private final HashingPipeline pipeline;
    private final ChunkReceiver receiver;

    TransferService(HypervisorAdapter hypervisor, Staging staging, Checkpoints checkpoints, PeerGrants grants,
                    TransferJobs jobs, RateLimiter limiter, TransferFaults faults, TransferProperties properties,
                    TransactionTemplate transactions, TransferShutdown shutdown) {
        this.hypervisor = hypervisor;
        this.staging = staging;
        this.checkpoints = checkpoints;
        this.grants = grants;
        this.jobs = jobs;
        this.limiter = limiter;
        this.faults = faults;
        this.properties = properties;
        this.transactions = transactions;
        this.pipeline = new HashingPipeline(jobs.hashers, properties.pipelineBuffers(), (int) properties.bufferSize().toBytes());
        this.receiver = new ChunkReceiver(pipeline, checkpoints, jobs.hashers, properties.commitWindow(), shutdown::stopping);
    }

    // ---- export (source) -------------------------------------------------------------------------

    TransferJobStatus export(UUID transferId, ExportRequest request) {
        return jobs.startOrGet(transferId, "export", job -> {
            Path dir = staging.exportDir(transferId);
            Optional<List<PackageFile>> done = exported(transferId);
            if (done.isPresent()) {
                job.files = done.get();
                job.bytesTotal = job.files.stream().mapToLong(PackageFile::size).sum();
                job.bytesDone.set(job.bytesTotal);
                return;
            }
            VmInfo vm = hypervisor.vm(request.vmId()).orElseThrow(() -> VccProblemException.notFound("VM", request.vmId()));
            List<Path> images = hypervisor.diskImages(request.vmId());
            Staging.deleteTree(dir);
            Files.createDirectories(dir);
            job.bytesTotal = images.stream().mapToLong(TransferService::size).sum();

            List<PackageFile> files = new ArrayList<>();
            List<FileReference> references = new ArrayList<>();
            List<VirtualDisk> disks = new ArrayList<>();
            List<DiskAttachment> attachments = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                String name = vm.name() + "-disk" + i + ".img";
                PackageFile file = copyImage(job, images.get(i), Staging.file(dir, name), name, request.chunkSize());
                files.add(file);
                references.add(new FileReference("file" + i, name, file.size()));
                long capacity = i < vm.disks().size() ? vm.disks().get(i).capacityBytes() : file.size();
                disks.add(new VirtualDisk("disk" + i, "file" + i, Math.max(capacity, 1), RAW_FORMAT, file.size()));
                attachments.add(new DiskAttachment("disk" + i, new StorageController(ControllerType.SCSI, "lsilogic", 0), i));
            }
            Set<String> networkNames = new LinkedHashSet<>();
            List<NetworkAdapter> nics = vm.nics().stream().map(nic -> {
                networkNames.add(nic.network());
                return new NetworkAdapter(nic.network(), nic.mac(), "VmxNet3");
            }).toList();
            OvfEnvelope envelope = new OvfEnvelope(references, disks,
                    networkNames.stream().map(n -> new OvfNetwork(n, "Network " + n)).toList(),
                    new VirtualSystem(vm.name(), vm.name(), null, null,
                            new VirtualHardware(null, vm.cpus(), vm.memoryMb() * MIB, attachments, nics)));
            byte[] descriptor = new OvfDescriptorWriter().write(envelope);
            String descriptorName = vm.name() + ".ovf";
            List<ManifestEntry> entries = new ArrayList<>();
            entries.add(new ManifestEntry(OvfDigestAlgorithm.SHA256, descriptorName, sha256(descriptor)));
            files.forEach(f -> entries.add(new ManifestEntry(OvfDigestAlgorithm.SHA256, f.name(), f.sha256())));
            byte[] manifest = new OvfManifest(entries).toBytes();
            String manifestName = descriptorName.substring(0, descriptorName.length() - 4) + ".mf";
            files.add(0, writeSmall(dir, manifestName, manifest, request.chunkSize()));
            files.add(0, writeSmall(dir, descriptorName, descriptor, request.chunkSize()));

            for (PackageFile file : files) {
                checkpoints.register(transferId, Checkpoints.Side.SOURCE, file);
            }
            Path index = dir.resolve(PACKAGE_INDEX);
            Path temporary = dir.resolve(PACKAGE_INDEX + ".tmp");
            writeDurably(temporary, JSON.writeValueAsBytes(files));
            Files.move(temporary, index, StandardCopyOption.ATOMIC_MOVE);
            job.files = List.copyOf(files);
            job.bytesDone.set(job.bytesTotal);
        });
    }

    Path exportDirOf(UUID transferId) {
        return staging.exportDir(transferId);
    }

    /** The package this node exported for the transfer, once the export is complete. */
    Optional<List<PackageFile>> exported(UUID transferId) throws IOException {
        Path index = staging.exportDir(transferId).resolve(PACKAGE_INDEX);
        if (!Files.exists(index)) {
            return Optional.empty();
        }
        return Optional.of(JSON.readValue(Files.readAllBytes(index), new TypeReference<List<PackageFile>>() { }));
    }

    private PackageFile copyImage(TransferJobs.Job job, Path image, Path target, String name, int chunkSize) throws IOException {
        long size = Files.size(image);
        MessageDigest whole = HashingPipeline.sha256();
        List<String> chunks = new ArrayList<>();
        try (FileChannel in = FileChannel.open(image, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            InputStream stream = Channels.newInputStream(in);
            for (long offset = 0; offset < size; offset += chunkSize) {
                job.checkCancelled();
                int length = (int) Math.min(chunkSize, size - offset);
                MessageDigest chunk = HashingPipeline.sha256();
                pipeline.copy(stream, out, offset, length, List.of(chunk, whole), job.bytesDone::addAndGet, null);
                chunks.add(HashingPipeline.hex(chunk));
            }
            out.force(true);
        }
        return new PackageFile(name, size, HashingPipeline.hex(whole), chunkSize, chunks);
    }

    private static PackageFile writeSmall(Path dir, String name, byte[] bytes, int chunkSize) throws IOException {
        writeDurably(Staging.file(dir, name), bytes);
        List<String> chunks = new ArrayList<>();
        for (int offset = 0; offset < bytes.length; offset += chunkSize) {
            MessageDigest chunk = HashingPipeline.sha256();
            chunk.update(bytes, offset, Math.min(chunkSize, bytes.length - offset));
            chunks.add(HashingPipeline.hex(chunk));
        }
        return new PackageFile(name, bytes.length, sha256(bytes), chunkSize, chunks);
    }

    // ---- grants ------------------------------------------------------------------------------------

    void grant(UUID transferId, PeerGrant grant) throws IOException {
        grant.files().forEach(file -> Staging.checkName(file.name()));
        if (grant.role() == PeerGrant.Role.SERVE && exported(transferId).isEmpty()) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "Transfer " + transferId + " has no exported package here to serve");
        }
        if (grant.role() == PeerGrant.Role.ACCEPT) {
            Files.createDirectories(staging.importDir(transferId));
            grant.files().forEach(file -> checkpoints.register(transferId, Checkpoints.Side.TARGET, file));
        }
        grants.save(transferId, grant);
    }

    // ---- pull (target) -----------------------------------------------------------------------------

    TransferJobStatus pull(UUID transferId, PeerTransferRequest request) {
        request.files().forEach(file -> Staging.checkName(file.name()));
        return jobs.startOrGet(transferId, "pull", job -> {
            Path dir = staging.importDir(transferId);
            Files.createDirectories(dir);
            PeerClient peer = peer(transferId, request);
            job.bytesTotal = request.files().stream().mapToLong(PackageFile::size).sum();
            for (PackageFile file : request.files()) {
                checkpoints.register(transferId, Checkpoints.Side.TARGET, file);
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
        while (committed < file.size()) {
            job.checkCancelled();
            long offset = committed;
            try {
                HttpResponse<InputStream> response = peer.send(() -> HttpRequest.newBuilder(peer.fileUri(file.name())).GET()
                                .header("Range", "bytes=" + offset + "-" + (file.size() - 1))
                                .header("If-Range", "\"" + file.sha256() + "\"")
                                .header(PeerClient.COMMITTED, Long.toString(offset)),
                        HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() != 206) {
                    if (response.statusCode() == 200) {
                        PeerClient.discard(response);
                        throw new VccProblemException(ProblemType.PACKAGE_INVALID, "The source's " + file.name() + " is no longer the exported file");
                    }
                    PeerClient.json(response);
                }
                try (InputStream body = response.body()) {
                    committed = receiver.receive(transferId, file, path, offset, file.size(), body, job.bytesOnWire::addAndGet,
                            this::throttle, job.bytesDone::addAndGet);
                }
                attempts = 0;
                job.clearError();
            } catch (VccProblemException e) {
                if (e.type() != ProblemType.CHUNK_CORRUPT) {
                    retryOrThrow(job, e);
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
                retryOrThrow(job, e);
                committed = checkpoints.committed(transferId, Checkpoints.Side.TARGET, file.name());
            }
        }
    }

    // ---- push (source) -----------------------------------------------------------------------------

    TransferJobStatus push(UUID transferId, PeerTransferRequest request) {
        request.files().forEach(file -> Staging.checkName(file.name()));
        return jobs.startOrGet(transferId, "push", job -> {
            if (exported(transferId).isEmpty()) {
                throw new VccProblemException(ProblemType.INVALID_STATE, "Transfer " + transferId + " has no exported package here to push");
            }
            Path dir = staging.exportDir(transferId);
            PeerClient peer = peer(transferId, request);
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
                long length = file.size() - offset;
                FileRangePublisher body = new FileRangePublisher(path, offset, length, file.chunkSize(),
                        (int) properties.bufferSize().toBytes(), faults::takeCorruption, this::throttle, job.bytesOnWire::addAndGet);
                HttpResponse<InputStream> response = awaitUpload(job, peer, file, acknowledged, body,
                        peer.sendAsync(() -> HttpRequest.newBuilder(URI.create(peer.fileUri(file.name()) + "?offset=" + offset))
                                        .header("Content-Type", "application/octet-stream")
                                        .PUT(HttpRequest.BodyPublishers.fromPublisher(body, length)),
                                HttpResponse.BodyHandlers.ofInputStream()));
                if (response.statusCode() == 401) {
                    PeerClient.discard(response);
                    peer.forgetSession();
                    committed = -1;
                    continue;
                }
                if (response.statusCode() == 422 || response.statusCode() == 409) {
                    VccProblemException problem = PeerClient.problem(response.statusCode(), response.body().readAllBytes());
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
                committed = acknowledged.record(JSON.treeToValue(PeerClient.json(response), CommittedOffset.class).committedOffset());
                attempts = 0;
                job.clearError();
            } catch (Exception e) {
                retryOrThrow(job, e);
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
    private HttpResponse<InputStream> awaitUpload(TransferJobs.Job job, PeerClient peer, PackageFile file, Acknowledged acknowledged,
                                                  FileRangePublisher body, java.util.concurrent.CompletableFuture<HttpResponse<InputStream>> pending)
            throws IOException {
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
                    HttpResponse<InputStream> response = pending.get(tick, java.util.concurrent.TimeUnit.MILLISECONDS);
                    answered = true;
                    return response;
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
                body.abort(new IOException("upload of " + file.name() + " abandoned"));
                pending.cancel(true);
            }
        }
    }

    // ---- receiving an upload (target of a push) ----------------------------------------------------

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
            long now = receiver.receive(transferId, file, Staging.file(dir, name), offset, end, body, null, null, null);
            return new CommittedOffset(name, now, file.size());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The committed offset of a file this node receives by upload; when no upload of it runs, chunks intact
     * in the staged file but not yet checkpointed (the node stopped meanwhile) are committed first.
     */
    CommittedOffset committed(UUID transferId, PeerGrants.Grant grant, String name) {
        PackageFile file = grant.file(Staging.checkName(name)).orElseThrow(() -> VccProblemException.notFound("Package file", name));
        ReentrantLock lock = uploadLock(transferId, name);
        if (lock.tryLock()) {
            try {
                return new CommittedOffset(name, receiver.recover(transferId, file, Staging.file(staging.importDir(transferId), name)), file.size());
            } catch (IOException e) {
                log.warn("Transfer {}: could not look for intact chunks of {}: {}", transferId, name, e.toString());
            } finally {
                lock.unlock();
            }
        }
        return new CommittedOffset(name, checkpoints.committed(transferId, Checkpoints.Side.TARGET, name), file.size());
    }

    private final ConcurrentHashMap<String, ReentrantLock> uploadLocks = new ConcurrentHashMap<>();

    private ReentrantLock uploadLock(UUID transferId, String name) {
        return uploadLocks.computeIfAbsent(transferId + "/" + name, key -> new ReentrantLock());
    }

    // ---- verify and import (target) ----------------------------------------------------------------

    TransferJobStatus verify(UUID transferId, VerifyRequest request) {
        request.files().forEach(file -> Staging.checkName(file.name()));
        return jobs.startOrGet(transferId, "verify", job -> {
            Path dir = staging.importDir(transferId);
            job.bytesTotal = request.files().stream().mapToLong(PackageFile::size).sum();
            for (PackageFile file : request.files()) {
                long committed = checkpoints.committed(transferId, Checkpoints.Side.TARGET, file.name());
                if (committed != file.size() || !Files.exists(Staging.file(dir, file.name())) || size(Staging.file(dir, file.name())) != file.size()) {
                    throw new VccProblemException(ProblemType.PACKAGE_INVALID, file.name() + " is not complete here: "
                            + committed + " of " + file.size() + " bytes committed");
                }
            }
            PackageFile descriptor = descriptor(request.files());
            OvfPackage verified;
            try {
                verified = new OvfPackageVerifier().verify(Staging.file(dir, descriptor.name()));
            } catch (OvfException e) {
                throw new VccProblemException(ProblemType.PACKAGE_INVALID, "The package does not verify: " + e.getMessage(), e);
            }
            for (PackageFile file : request.files()) {
                String actual = file.name().equals(verified.manifestName())
                        ? sha256(Files.readAllBytes(Staging.file(dir, file.name())))
                        : verified.manifest().entry(file.name()).map(ManifestEntry::digest).orElse(null);
                if (actual == null || !actual.equalsIgnoreCase(file.sha256())) {
                    throw new VccProblemException(ProblemType.PACKAGE_INVALID, file.name() + " is not the file the source exported");
                }
                job.bytesDone.addAndGet(file.size());
            }
        });
    }

    TransferJobStatus importPackage(UUID transferId, ImportRequest request) {
        return jobs.startOrGet(transferId, "import", job -> {
            Optional<String> already = checkpoints.importedVm(transferId);
            if (already.isPresent()) {
                job.vmId = already.get();
                return;
            }
            Path dir = staging.importDir(transferId);
            Path descriptor;
            try (var listing = Files.list(dir)) {
                descriptor = listing.filter(p -> p.getFileName().toString().endsWith(".ovf")).findFirst()
                        .orElseThrow(() -> new VccProblemException(ProblemType.PACKAGE_INVALID, "No received package for transfer " + transferId));
            }
            OvfEnvelope envelope = new OvfDescriptorReader().read(descriptor);
            VirtualSystem system = envelope.virtualSystems().get(0);
            List<VmImport.Disk> disks = new ArrayList<>();
            List<DiskAttachment> attached = system.hardware().disks();
            for (int i = 0; i < attached.size(); i++) {
                VirtualDisk disk = envelope.disk(attached.get(i).diskId()).orElseThrow();
                FileReference file = envelope.file(disk.fileRef()).orElseThrow(() -> new VccProblemException(
                        ProblemType.PACKAGE_INVALID, "Disk " + disk.diskId() + " has no file"));
                disks.add(new VmImport.Disk(i, disk.capacityBytes(), Staging.file(dir, file.href())));
            }
            List<VmImport.Nic> nics = new ArrayList<>();
            List<NetworkAdapter> adapters = system.hardware().nics();
            for (int i = 0; i < adapters.size(); i++) {
                nics.add(new VmImport.Nic(i, adapters.get(i).network(), request.keepMacs() ? adapters.get(i).macAddress() : null));
            }
            long memoryMb = Math.max(1, system.hardware().memoryBytes() / MIB);
            VmImport spec = new VmImport(request.name(), system.hardware().cpus(), memoryMb, disks, nics);
            job.vmId = transactions.execute(tx -> {
                VmInfo vm = hypervisor.importVm(request.vdcId(), spec);
                checkpoints.recordImport(transferId, vm.id());
                return vm.id();
            });
        });
    }

    // ---- cleanup -----------------------------------------------------------------------------------

    void cleanup(UUID transferId) throws IOException {
        jobs.cancel(transferId);
        grants.revoke(transferId);
        checkpoints.delete(transferId);
        staging.delete(transferId);
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private PeerClient peer(UUID transferId, PeerTransferRequest request) {
        return new PeerClient(request.peerBaseUrl(), request.peerProxy(), transferId, request.username(), request.secret(),
                properties.peerConnectTimeout(), properties.peerReadTimeout());
    }

    private void retryOrThrow(TransferJobs.Job job, Exception e) throws Exception {
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

    private void throttle(long bytes) {
        try {
            limiter.acquire(bytes);
        } catch (java.io.InterruptedIOException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static PackageFile descriptor(List<PackageFile> files) {
        return files.stream().filter(f -> f.name().endsWith(".ovf")).findFirst()
                .orElseThrow(() -> new VccProblemException(ProblemType.PACKAGE_INVALID, "The package has no OVF descriptor"));
    }

    static String sha256(byte[] bytes) {
        MessageDigest digest = HashingPipeline.sha256();
        digest.update(bytes);
        return HashingPipeline.hex(digest);
    }

    private static long size(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void writeDurably(Path path, byte[] bytes) throws IOException {
        try (FileChannel out = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(java.nio.ByteBuffer.wrap(bytes));
            out.force(true);
        }
    }

}
