package io.vcc.node.transfer;

import io.vcc.node.packaging.PackageImporter;
import io.vcc.node.packaging.PackageProblems;
import io.vcc.node.packaging.Staging;
import io.vcc.node.packaging.StagingBudget;
import io.vcc.api.node.DiskInfo;
import io.vcc.api.node.TemplateInfo;
import io.vcc.api.node.VdcInfo;
import io.vcc.api.node.VappInfo;
import io.vcc.api.node.VmInfo;
import io.vcc.ovf.ControllerType;
import io.vcc.ovf.DiskAttachment;
import io.vcc.ovf.FileReference;
import io.vcc.ovf.ManifestEntry;
import io.vcc.ovf.NetworkAdapter;
import io.vcc.ovf.OvfDescriptorReader;
import io.vcc.ovf.OvfDescriptorWriter;
import io.vcc.ovf.OvfDigestAlgorithm;
import io.vcc.ovf.OvfContent;
import io.vcc.ovf.OvfEnvelope;
import io.vcc.ovf.OvfException;
import io.vcc.ovf.OvfManifest;
import io.vcc.ovf.OvfNetwork;
import io.vcc.ovf.OvfPackage;
import io.vcc.ovf.OvfPackageVerifier;
import io.vcc.ovf.StorageController;
import io.vcc.ovf.VirtualDisk;
import io.vcc.ovf.VirtualHardware;
import io.vcc.ovf.VirtualSystem;
import io.vcc.ovf.VirtualSystemCollection;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.CommittedOffset;
import io.vcc.api.transfer.ExportRequest;
import io.vcc.api.transfer.ImportRequest;
import io.vcc.api.transfer.PackageFile;
import io.vcc.api.transfer.PackageKind;
import io.vcc.api.transfer.PeerGrant;
import io.vcc.api.transfer.PeerTransferRequest;
import io.vcc.api.transfer.TransferJobStatus;
import io.vcc.api.transfer.VerifyRequest;
import io.vcc.node.adapter.CloudInventory;
import io.vcc.node.adapter.HypervisorAdapter;
import io.vcc.node.adapter.TemplateCatalog;
import io.vcc.node.adapter.VmImport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
    private final TemplateCatalog catalog;
    private final PackageImporter importer;
    private final Staging staging;
    private final Checkpoints checkpoints;
    private final PeerGrants grants;
    private final TransferJobs jobs;
    private final PeerUploads uploads;
    private final PeerDownloads downloads;
    private final RateLimiter limiter;
    private final TransferProperties properties;
    private final TransactionTemplate transactions;
    private final ChunkPipeline pipeline;
    private final ChunkReceiver receiver;
    private final StagingBudget budget;
    private final CloudInventory inventory;

    TransferService(HypervisorAdapter hypervisor, TemplateCatalog catalog, PackageImporter importer, Staging staging,
                    Checkpoints checkpoints, PeerGrants grants, TransferJobs jobs, PeerUploads uploads, PeerDownloads downloads,
                    RateLimiter limiter, TransferProperties properties, TransactionTemplate transactions, TransferShutdown shutdown,
                    StagingBudget budget, CloudInventory inventory) {
        this.budget = budget;
        this.inventory = inventory;
        this.hypervisor = hypervisor;
        this.catalog = catalog;
        this.importer = importer;
        this.staging = staging;
        this.checkpoints = checkpoints;
        this.grants = grants;
        this.jobs = jobs;
        this.uploads = uploads;
        this.downloads = downloads;
        this.limiter = limiter;
        this.properties = properties;
        this.transactions = transactions;
        this.pipeline = new ChunkPipeline(jobs.hashers, properties.pipelineBuffers(), (int) properties.bufferSize().toBytes());
        this.receiver = new ChunkReceiver(new ChunkPipeline(jobs.hashers, properties.pipelineBuffers(),
                (int) properties.receiveBufferSize().toBytes()), checkpoints, jobs.hashers, properties.commitWindow(), shutdown::stopping);
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
            List<VmInfo> members = members(request);
            List<List<Path>> images = members.stream().map(vm -> hypervisor.diskImages(vm.id())).toList();
            Staging.deleteTree(dir);
            Files.createDirectories(dir);
            job.bytesTotal = images.stream().flatMap(List::stream).mapToLong(TransferService::size).sum();

            List<PackageFile> files = new ArrayList<>();
            List<FileReference> references = new ArrayList<>();
            List<VirtualDisk> disks = new ArrayList<>();
            Set<String> networkNames = new LinkedHashSet<>();
            List<VirtualSystem> systems = new ArrayList<>();
            for (int v = 0; v < members.size(); v++) {
                VmInfo vm = members.get(v);
                List<DiskAttachment> attachments = new ArrayList<>();
                for (int i = 0; i < images.get(v).size(); i++) {
                    String name = vm.name() + "-disk" + i + ".img";
                    PackageFile file = exportImage(job, images.get(v).get(i), Staging.file(dir, name), name, request.chunkSize());
                    files.add(file);
                    String fileId = "file" + references.size();
                    String diskId = "disk" + disks.size();
                    references.add(new FileReference(fileId, name, file.size()));
                    DiskInfo disk = i < vm.disks().size() ? vm.disks().get(i) : null;
                    long capacity = disk != null ? disk.capacityBytes() : file.size();
                    String format = disk != null && disk.format() != null ? disk.format() : RAW_FORMAT;
                    disks.add(new VirtualDisk(diskId, fileId, Math.max(capacity, 1), format, file.size()));
                    attachments.add(new DiskAttachment(diskId, new StorageController(ControllerType.SCSI, "lsilogic", 0), i));
                }
                List<NetworkAdapter> nics = vm.nics().stream().map(nic -> {
                    networkNames.add(nic.network());
                    return new NetworkAdapter(nic.network(), nic.mac(), "VmxNet3");
                }).toList();
                systems.add(new VirtualSystem(vm.name(), vm.name(), null, null,
                        new VirtualHardware(null, vm.cpus(), vm.memoryMb() * MIB, attachments, nics)));
            }
            // A vApp is often named after one of its VMs: the collection's id stays apart from the VMs' ids.
            OvfContent content = request.kind() == PackageKind.VM ? systems.get(0)
                    : new VirtualSystemCollection(request.kind().name().toLowerCase(Locale.ROOT), packageName(request), null,
                    List.copyOf(systems));
            OvfEnvelope envelope = new OvfEnvelope(references, disks,
                    networkNames.stream().map(n -> new OvfNetwork(n, "Network " + n)).toList(), content);
            byte[] descriptor = new OvfDescriptorWriter().write(envelope);
            String descriptorName = content.name() + ".ovf";
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

    /** Where this node's job of the phase is, without starting anything; see {@link TransferJobs#status}. */
    TransferJobStatus status(UUID transferId, String phase) {
        return jobs.status(transferId, phase)
                .orElseThrow(() -> VccProblemException.notFound("Job " + phase + " of transfer", transferId.toString()));
    }

    /** The VMs the package carries: the VM, the vApp's or the template's, as the cloud has them now. */
    private List<VmInfo> members(ExportRequest request) {
        List<String> ids = switch (request.kind()) {
            case VM -> List.of(request.sourceId());
            case VAPP -> hypervisor.vapp(request.sourceId()).map(VappInfo::vmIds)
                    .orElseThrow(() -> VccProblemException.notFound("vApp", request.sourceId()));
            case TEMPLATE -> catalog.template(request.sourceId()).map(t -> t.vms().stream().map(VmInfo::id).toList())
                    .orElseThrow(() -> VccProblemException.notFound("Template", request.sourceId()));
        };
        if (ids.isEmpty()) {
            throw new VccProblemException(ProblemType.INVALID_STATE, request.kind() + " " + request.sourceId() + " has no VMs to export");
        }
        return ids.stream().map(id -> hypervisor.vm(id).orElseThrow(() -> VccProblemException.notFound("VM", id))).toList();
    }

    private String packageName(ExportRequest request) {
        return switch (request.kind()) {
            case VM -> hypervisor.vm(request.sourceId()).map(VmInfo::name).orElse(request.sourceId());
            case VAPP -> hypervisor.vapp(request.sourceId()).map(VappInfo::name).orElse(request.sourceId());
            case TEMPLATE -> catalog.template(request.sourceId()).map(TemplateInfo::name).orElse(request.sourceId());
        };
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

    /**
     * Puts a disk image into the package. One whose last chunk holds data (nothing to leave out at its end) is
     * hard-linked into the staging and hashed where it lies, chunks and file at once: no copy is written, and the
     * package's digests are of the bytes that are then sent. Should the image change after that (a VM running
     * meanwhile), the receiver's check of every chunk against those digests refuses what changed. Any other
     * image, or one that cannot be linked (another file system), is copied thin ({@link #copyImage}).
     */
    private PackageFile exportImage(TransferJobs.Job job, Path image, Path target, String name, int chunkSize) throws IOException {
        long size = Files.size(image);
        if (size > 0 && endsWithData(image, size, chunkSize) && link(image, target)) {
            PackageFile hashed = pass(job, target, null, name, chunkSize);
            if (hashed.size() == size) {
                return hashed;
            }
            // It ended in zeros after all (it changed since): the thin copy leaves them out.
            Files.delete(target);
            job.bytesDone.addAndGet(-size);
        }
        return copyImage(job, image, target, name, chunkSize);
    }

    private static boolean endsWithData(Path image, long size, int chunkSize) throws IOException {
        long last = (size - 1) / chunkSize * chunkSize;
        ByteBuffer buffer = ByteBuffer.allocate((int) (size - last));
        try (FileChannel in = FileChannel.open(image, StandardOpenOption.READ)) {
            while (buffer.hasRemaining() && in.read(buffer, last + buffer.position()) >= 0) {
                // fill
            }
        }
        return !Zeros.all(buffer.array(), buffer.position());
    }

    private static boolean link(Path image, Path target) {
        try {
            Files.createLink(target, image);
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException notLinkable) {
            log.debug("Cannot link {} into the staging ({}); copying it", image, notLinkable.toString());
            return false;
        }
    }

    /**
     * Copies a disk image into the package, as thin as it is: chunks of zeros stay holes in the staged file
     * and the zeros after the last chunk with data are left out (the disk's capacity says how large it is;
     * what the file does not cover reads as zeros). A thin 50 GB disk with 1 GB written thus costs 1 GB to
     * stage, send and verify instead of 50. Chunks with data are hashed in parallel with the write.
     */
    private PackageFile copyImage(TransferJobs.Job job, Path image, Path target, String name, int chunkSize) throws IOException {
        try (StagedFileWriter out = StagedFileWriter.open(target, true, false)) {
            PackageFile file = pass(job, image, out, name, chunkSize);
            out.setLength(file.size());
            out.force();
            return file;
        }
    }

    /**
     * Reads the image once through the pipeline, written to {@code out} as it goes (null: hashed only), and answers
     * the package file: up to the last chunk with data, with its digest and its chunks'.
     */
    private PackageFile pass(TransferJobs.Job job, Path image, StagedFileWriter out, String name, int chunkSize) throws IOException {
        long size = Files.size(image);
        MessageDigest whole = ChunkPipeline.sha256();
        List<String> chunks = new ArrayList<>();
        AtomicLong dataEnd = new AtomicLong();
        AtomicInteger dataChunks = new AtomicInteger();
        try (FileChannel in = FileChannel.open(image, StandardOpenOption.READ);
             ChunkPipeline.Run run = pipeline.start(out, true, whole, chunk -> {
                 chunks.add(chunk.sha256());
                 if (!chunk.zero()) {
                     dataEnd.set(chunk.position() + chunk.length());
                     dataChunks.set(chunks.size());
                 }
             })) {
            ChunkPipeline.Source source = ChunkPipeline.source(in, 0);
            for (long offset = 0; offset < size; offset += chunkSize) {
                job.checkCancelled();
                int length = (int) Math.min(chunkSize, size - offset);
                run.chunk((int) (offset / chunkSize), offset, length, source);
                job.bytesDone.addAndGet(length);
            }
            run.finish();
        }
        return new PackageFile(name, dataEnd.get(), ChunkPipeline.hex(whole), chunkSize, List.copyOf(chunks.subList(0, dataChunks.get())));
    }

    private static PackageFile writeSmall(Path dir, String name, byte[] bytes, int chunkSize) throws IOException {
        writeDurably(Staging.file(dir, name), bytes);
        List<String> chunks = new ArrayList<>();
        for (int offset = 0; offset < bytes.length; offset += chunkSize) {
            MessageDigest chunk = ChunkPipeline.sha256();
            chunk.update(bytes, offset, Math.min(chunkSize, bytes.length - offset));
            chunks.add(ChunkPipeline.hex(chunk));
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
            reserveIncoming(transferId, grant.files(), grant.vdcId());
            prepareReceiving(transferId, grant.files());
        }
        grants.save(transferId, grant);
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

    // ---- pull (target) -----------------------------------------------------------------------------

    TransferJobStatus pull(UUID transferId, PeerTransferRequest request) {
        request.files().forEach(file -> Staging.checkName(file.name()));
        reserveIncoming(transferId, request.files(), request.vdcId());
        return jobs.startOrGet(transferId, "pull", job -> {
            Path dir = staging.importDir(transferId);
            prepareReceiving(transferId, request.files());
            PeerClient peer = peer(transferId, request);
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
                            download.metered(job.bytesOnWire::addAndGet, this::throttle), job.bytesDone::addAndGet);
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
            // Every chunk of a file was hashed as it arrived and logged only if it matched the digest the source took
            // in the same pass as the file's: such a file is not read again, the manifest must state that digest.
            Map<String, String> received = new HashMap<>();
            for (PackageFile file : request.files()) {
                if (checkpoints.chunkDigests(transferId, Checkpoints.Side.TARGET, file.name()).equals(file.chunkSha256())) {
                    received.put(file.name(), file.sha256());
                }
            }
            OvfPackage verified;
            try {
                verified = new OvfPackageVerifier().verify(Staging.file(dir, descriptor.name()), received);
            } catch (OvfException e) {
                throw PackageProblems.of(e);
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
            Optional<String> already = checkpoints.imported(transferId);
            if (already.isPresent()) {
                job.importedId = already.get();
                return;
            }
            Path dir = staging.importDir(transferId);
            Path descriptor;
            try (var listing = Files.list(dir)) {
                descriptor = listing.filter(p -> p.getFileName().toString().endsWith(".ovf")).findFirst()
                        .orElseThrow(() -> new VccProblemException(ProblemType.PACKAGE_INVALID, "No received package for transfer " + transferId));
            }
            OvfEnvelope envelope = new OvfDescriptorReader().read(descriptor);
            List<VmImport> specs = importer.prepare(importer.plan(envelope, dir, request.vdcId(), request.name(), request.keepMacs(),
                    request.kind(), transferId.toString()));
            job.importedId = transactions.execute(tx -> {
                String id = importer.create(request.vdcId(), request.name(), request.kind(), specs);
                checkpoints.recordImport(transferId, id);
                return id;
            });
        });
    }

    // ---- cleanup -----------------------------------------------------------------------------------

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

    // ---- helpers -----------------------------------------------------------------------------------

    private PeerClient peer(UUID transferId, PeerTransferRequest request) {
        return new PeerClient(uploads, downloads, request.peerBaseUrl(), request.peerProxy(), transferId, request.username(), request.secret(),
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
        MessageDigest digest = ChunkPipeline.sha256();
        digest.update(bytes);
        return ChunkPipeline.hex(digest);
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
            out.write(ByteBuffer.wrap(bytes));
            out.force(true);
        }
    }

}
