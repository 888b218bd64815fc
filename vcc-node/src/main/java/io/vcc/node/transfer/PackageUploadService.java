package io.vcc.node.transfer;

import io.vcc.ovf.FileReference;
import io.vcc.ovf.OvaReader;
import io.vcc.ovf.OvfDescriptorReader;
import io.vcc.ovf.OvfEnvelope;
import io.vcc.ovf.OvfException;
import io.vcc.ovf.OvfLimits;
import io.vcc.ovf.OvfPackage;
import io.vcc.ovf.OvfPackageVerifier;
import io.vcc.ovf.PackageOptions;
import io.vcc.api.node.VdcInfo;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.PackageFileRequest;
import io.vcc.api.transfer.PackageKind;
import io.vcc.api.transfer.PackageUploadRequest;
import io.vcc.api.transfer.PackageUploadState;
import io.vcc.api.transfer.PackageUploadStatus;
import io.vcc.node.adapter.CloudInventory;
import io.vcc.node.adapter.VmImport;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongBinaryOperator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Packages users upload into a VDC, tus-style (an offset per request, resumable after a cut): the bytes are
 * appended to {@code staging/uploads/<id>/upload.ova}, fsynced, and only then is the committed offset moved
 * in the database, at least every {@code vcc.packages.commit-interval} and at the end of every request, also
 * one cut short. As soon as the descriptor (the OVA's first member) is in, it is checked: hostile XML, a VM
 * that does not fit the VDC or a vApp are refused then, before the disks arrive. With the last byte the OVA is
 * extracted by the hostile-safe {@link OvaReader} (manifest, SHA-1 or SHA-256, and certificate verified) and
 * the VM imported, on a worker thread; the upload shows IMPORTING, then SUCCEEDED with the VM, or FAILED with
 * the problem. The package's hardware is that of the deployment option the upload asked for, else its default.
 * A package without a manifest is refused ({@code missing-manifest}) unless the server says an admin allowed
 * it (the VDC's setting or the upload's); the upload then records that it was imported unverified. A refused package creates nothing in the VDC and its staging is removed.
 * <p>
 * An upload can also be an OVF descriptor ({@code descriptorName} set): it goes to
 * {@code staging/uploads/<id>/package/<name>}, is checked as soon as it is complete, and then names the files
 * that must follow: those it references and its manifest (a certificate may come too). Each is an upload of
 * its own with its own durable offset, into the same directory. When the last one is complete the package is
 * verified there (manifest and certificate) and imported the same way.
 */
@Service
class PackageUploadService implements DisposableBean {

    static final String OVA = "upload.ova";
    /** The extracted OVA, or the OVF upload's descriptor and files as they arrive. */
    private static final String PACKAGE = "package";
    private static final Logger log = LoggerFactory.getLogger(PackageUploadService.class);

    private final PackageUploads uploads;
    private final PackageImporter importer;
    private final CloudInventory inventory;
    private final Staging staging;
    private final PackageProperties properties;
    private final StagingBudget budget;
    private final TransactionTemplate transactions;
    private final Map<UUID, ReentrantLock> locks = new ConcurrentHashMap<>();
    /** Uploads whose descriptor passed the early check; after a restart it is simply checked again. */
    private final Set<UUID> descriptorChecked = ConcurrentHashMap.newKeySet();
    private final ExecutorService importers = Executors.newCachedThreadPool(daemon());
    private final Clock clock;
    private volatile Instant lastSweep;

    PackageUploadService(PackageUploads uploads, PackageImporter importer,
                         CloudInventory inventory, Staging staging, PackageProperties properties, StagingBudget budget,
                         TransactionTemplate transactions, ObjectProvider<Clock> clock) {
        this.uploads = uploads;
        this.importer = importer;
        this.inventory = inventory;
        this.staging = staging;
        this.properties = properties;
        this.budget = budget;
        this.transactions = transactions;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    PackageUploadStatus create(PackageUploadRequest request) throws IOException {
        sweepAbandoned();
        VdcInfo vdc = inventory.vdc(request.vdcId()).orElseThrow(() -> VccProblemException.notFound("VDC", request.vdcId()));
        if (request.length() > properties.maxUploadSize().toBytes()) {
            throw new VccProblemException(ProblemType.REQUEST_TOO_LARGE, "The package has " + request.length()
                    + " bytes; this node accepts at most " + properties.maxUploadSize().toBytes());
        }
        long maxDescriptor = OvfLimits.defaults().maxDescriptorBytes();
        if (request.descriptorName() != null && request.length() > maxDescriptor) {
            throw new VccProblemException(ProblemType.REQUEST_TOO_LARGE, "The descriptor has " + request.length()
                    + " bytes; descriptors of at most " + maxDescriptor + " bytes are read");
        }
        // The room first: a refused upload leaves no record and no file.
        UUID id = UUID.randomUUID();
        budget.reserve(id, "", StagingBudget.Kind.UPLOAD, vdc.organization(), request.length(),
                "the upload");
        try {
            PackageUploads.Upload upload = uploads.create(id, request.vdcId(), request.name(),
                    Boolean.TRUE.equals(request.keepMacs()), request.kind(), request.length(), request.descriptorName());
            if (request.deploymentOption() != null || request.unsignedAllowedBy() != null) {
                uploads.readOptions(upload.id(), request.deploymentOption(), request.unsignedAllowedBy());
                upload = uploads.find(upload.id()).orElseThrow();
            }
            Path file = stagedFile(upload);
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file);
            return uploads.status(upload);
        } catch (IOException | RuntimeException e) {
            uploads.delete(id);
            Staging.deleteTree(staging.uploadDir(id));
            budget.release(id);
            throw e;
        }
    }

    PackageUploadStatus status(UUID id, String vdcId) {
        return uploads.status(existing(id, vdcId));
    }

    /**
     * Appends the body at {@code offset}, which must be the committed offset. Bytes are committed as they
     * become durable; a body that breaks off leaves the offset at what was durably written.
     *
     * @param contentLength the body's declared length, or -1 when unknown (chunked)
     */
    PackageUploadStatus append(UUID id, String vdcId, long offset, long contentLength, InputStream body) throws IOException {
        return locked(id, vdcId, upload -> {
            checkOffset("Upload " + id, offset, upload.offset(), upload.length(), contentLength);
            receive(new Destination("upload " + id, stagedFile(upload), upload.length(), upload.offset(),
                    (from, to) -> uploads.commit(id, from, to), committed -> inspect(upload, committed)), body);
            importWhenComplete(id);
            return status(id, vdcId);
        });
    }

    /**
     * Starts the upload of one file of an OVF upload whose descriptor is in: a file the descriptor references
     * (with the length it declares, when it declares one), its manifest, or its certificate. Asking again
     * with the same length answers the same; a file of length 0 is complete at once.
     */
    PackageUploadStatus createFile(UUID id, PackageFileRequest request) throws IOException {
        return locked(id, request.vdcId(), upload -> {
            if (!upload.ovf()) {
                throw new VccProblemException(ProblemType.VALIDATION, "Upload " + id + " is an OVA; it has no separate files");
            }
            if (!upload.complete()) {
                throw new VccProblemException(ProblemType.INVALID_STATE, "Upload the descriptor " + upload.descriptorName()
                        + " first (" + upload.offset() + " of " + upload.length() + " bytes are in): the files it references "
                        + "are known only then");
            }
            inspect(upload, upload.offset());
            String name = request.name();
            PackageUploads.File file = uploads.file(id, name)
                    .or(() -> name.equals(OvfPackage.certificateName(upload.descriptorName()))
                            || name.equals(OvfPackage.manifestName(upload.descriptorName()))
                            ? Optional.of(new PackageUploads.File(name, null, null, 0)) : Optional.empty())
                    .orElseThrow(() -> new VccProblemException(ProblemType.VALIDATION, "The package of " + upload.descriptorName()
                            + " has no file named '" + name + "'; it expects " + uploads.files(id).stream()
                            .map(PackageUploads.File::name).collect(Collectors.joining(", "))
                            + " and may have " + OvfPackage.certificateName(upload.descriptorName())));
            if (file.declaredLength() != null && file.declaredLength() != request.length()) {
                throw new VccProblemException(ProblemType.VALIDATION, "The descriptor gives " + name + " "
                        + file.declaredLength() + " bytes, not " + request.length());
            }
            if (file.length() != null) {
                if (file.length() != request.length()) {
                    throw new VccProblemException(ProblemType.CONFLICT, name + " is already being uploaded with "
                            + file.length() + " bytes, not " + request.length());
                }
                return uploads.status(upload);
            }
            if (request.length() > properties.maxUploadSize().toBytes()) {
                throw new VccProblemException(ProblemType.REQUEST_TOO_LARGE, name + " has " + request.length()
                        + " bytes; this node accepts at most " + properties.maxUploadSize().toBytes());
            }
            Path path = Staging.file(packageDir(id), name);
            budget.reserve(id, name, StagingBudget.Kind.UPLOAD, tenantOf(upload.vdcId()), request.length(),
                    name);
            Files.deleteIfExists(path);
            Files.createFile(path);
            uploads.createFile(id, name, request.length());
            importWhenComplete(id);
            return status(id, request.vdcId());
        });
    }

    /** Appends to one file of an OVF upload at {@code offset}, which must be its committed offset; as {@link #append}. */
    PackageUploadStatus appendFile(UUID id, String vdcId, String name, long offset, long contentLength, InputStream body)
            throws IOException {
        return locked(id, vdcId, upload -> {
            PackageUploads.File file = uploads.file(id, name).filter(known -> known.length() != null)
                    .orElseThrow(() -> new VccProblemException(ProblemType.NOT_FOUND, "Upload " + id + " has no file '" + name
                            + "' being received; create its upload (with its length) first"));
            checkOffset(name + " of upload " + id, offset, file.offset(), file.length(), contentLength);
            receive(new Destination(name + " of upload " + id, Staging.file(packageDir(id), name), file.length(), file.offset(),
                    (from, to) -> uploads.commitFile(id, name, from, to), committed -> { }), body);
            importWhenComplete(id);
            return status(id, vdcId);
        });
    }

    private interface UploadWork {
        PackageUploadStatus run(PackageUploads.Upload upload) throws IOException;
    }

    /** Runs {@code work} on an upload still receiving, one request per upload at a time. */
    private PackageUploadStatus locked(UUID id, String vdcId, UploadWork work) throws IOException {
        existing(id, vdcId);
        ReentrantLock lock = locks.computeIfAbsent(id, key -> new ReentrantLock());
        try {
            if (!lock.tryLock(properties.lockWait().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new VccProblemException(ProblemType.CONFLICT, "Another request is still writing upload " + id);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VccProblemException(ProblemType.CONFLICT, "Interrupted while waiting for upload " + id);
        }
        try {
            PackageUploads.Upload upload = existing(id, vdcId);
            if (upload.state() != PackageUploadState.RECEIVING) {
                throw new VccProblemException(ProblemType.INVALID_STATE, "Upload " + id + " is " + upload.state()
                        + (upload.problemDetail() == null ? "" : ": " + upload.problemDetail()) + "; it takes no more bytes");
            }
            return work.run(upload);
        } finally {
            lock.unlock();
        }
    }

    private static void checkOffset(String what, long offset, long committed, long length, long contentLength) {
        if (offset != committed) {
            throw new VccProblemException(ProblemType.OFFSET_MISMATCH, what + " continues at offset " + committed
                    + " (of " + length + "), not at " + offset);
        }
        if (contentLength >= 0 && offset + contentLength > length) {
            throw new VccProblemException(ProblemType.VALIDATION, "The body of " + contentLength + " bytes at offset "
                    + offset + " goes beyond the length of " + length + " of " + what);
        }
    }

    /** Imports once everything is in: the OVA, or the descriptor and every file it needs. */
    private void importWhenComplete(UUID id) {
        PackageUploads.Upload upload = uploads.find(id).orElseThrow();
        List<PackageUploads.File> files = upload.ovf() ? uploads.files(id) : List.of();
        boolean complete = upload.complete() && (!upload.ovf()
                || (!files.isEmpty() && files.stream().allMatch(file -> file.view().complete())));
        if (complete && uploads.move(id, PackageUploadState.RECEIVING, PackageUploadState.IMPORTING)) {
            importers.submit(() -> importPackage(id));
        }
    }

    /** Removes an upload that is not importing, with its staged bytes. */
    void abort(UUID id, String vdcId) throws IOException {
        ReentrantLock lock = locks.computeIfAbsent(id, key -> new ReentrantLock());
        if (!lock.tryLock()) {
            throw new VccProblemException(ProblemType.CONFLICT, "A request is still writing upload " + id + "; try again");
        }
        try {
            PackageUploads.Upload upload = existing(id, vdcId);
            if (upload.state() == PackageUploadState.IMPORTING) {
                throw new VccProblemException(ProblemType.INVALID_STATE, "Upload " + id + " is being imported; wait for it to end");
            }
            uploads.delete(id);
            Staging.deleteTree(staging.uploadDir(id));
            budget.release(id);
            descriptorChecked.remove(id);
        } finally {
            lock.unlock();
            locks.remove(id);
        }
    }

    /** Imports picked up again after a restart: what was IMPORTING starts over from the staged OVA. */
    @EventListener(ApplicationReadyEvent.class)
    void resumeImports() {
        for (PackageUploads.Upload upload : uploads.inState(PackageUploadState.IMPORTING)) {
            importers.submit(() -> importPackage(upload.id()));
        }
    }

    @Override
    public void destroy() {
        importers.shutdownNow();
    }

    /** Expires abandoned uploads when a new one comes, at most once a minute (the {@link StagingJanitor} does too). */
    private void sweepAbandoned() {
        Instant now = clock.instant();
        if (lastSweep != null && lastSweep.plus(Duration.ofMinutes(1)).isAfter(now)) {
            return;
        }
        lastSweep = now;
        expireAbandoned();
    }

    /**
     * Uploads without a byte for {@code vcc.packages.upload-ttl} give their staging and its reservation back
     * and show FAILED; one a request is writing just now is left. Returns the expired uploads' ids.
     */
    List<UUID> expireAbandoned() {
        Instant now = clock.instant();
        List<UUID> expired = new java.util.ArrayList<>();
        for (PackageUploads.Upload upload : uploads.receivingUntouchedSince(now.minus(properties.uploadTtl()))) {
            ReentrantLock lock = locks.computeIfAbsent(upload.id(), key -> new ReentrantLock());
            if (lock.tryLock()) {
                try {
                    refuse(upload.id(), new VccProblemException(ProblemType.INVALID_STATE, "The upload got no bytes for "
                            + properties.uploadTtl() + " and was abandoned; start it again"));
                    expired.add(upload.id());
                } finally {
                    lock.unlock();
                    locks.remove(upload.id());
                }
            }
        }
        return expired;
    }

    // ---- receiving ---------------------------------------------------------------------------------

    /** Where one request's bytes go: a staged file of {@code length} bytes, durable up to {@code offset}. */
    private record Destination(String what, Path file, long length, long offset, LongBinaryOperator commit,
                               Inspection inspection) {
    }

    /** Looks at what is durable so far; refuses by throwing. */
    private interface Inspection {
        void inspect(long committed) throws IOException;
    }

    private long receive(Destination to, InputStream body) throws IOException {
        long interval = properties.commitInterval().toBytes();
        long position = to.offset();
        long committed = to.offset();
        boolean refused = false;
        boolean brokeOff = false;
        if (!Files.exists(to.file())) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "The " + to.what() + " lost its staged bytes; delete the "
                    + "upload and start again");
        }
        FileChannel out = FileChannel.open(to.file(), StandardOpenOption.WRITE);
        try {
            // Bytes a cut request wrote past its last commit are not vouched for: they are written again.
            out.truncate(position);
            byte[] buffer = new byte[256 * 1024];
            while (position < to.length() && !brokeOff) {
                // Fill the buffer before writing: a socket hands out a few KiB per read.
                int wanted = (int) Math.min(buffer.length, to.length() - position);
                int filled = 0;
                boolean ended = false;
                while (filled < wanted) {
                    int n;
                    try {
                        n = body.read(buffer, filled, wanted - filled);
                    } catch (IOException cut) {
                        brokeOff = true;
                        break;
                    }
                    if (n < 0) {
                        ended = true;
                        break;
                    }
                    filled += n;
                }
                ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, filled);
                while (bytes.hasRemaining()) {
                    position += out.write(bytes, position);
                }
                if (position - committed >= interval) {
                    committed = durable(out, to, committed, position);
                    to.inspection().inspect(committed);
                }
                if (ended) {
                    break;
                }
            }
            if (position == to.length() && !brokeOff && moreAfter(body)) {
                throw new VccProblemException(ProblemType.VALIDATION, "The body goes beyond the length of " + to.length()
                        + " of " + to.what());
            }
        } catch (VccProblemException e) {
            refused = e.type() != ProblemType.VALIDATION;
            throw e;
        } finally {
            if (!refused && position > committed) {
                committed = durable(out, to, committed, position);
            }
            out.close();
        }
        if (brokeOff) {
            // The sender is gone (a cut connection); the offset it will ask for is what is durable now.
            throw new VccProblemException(ProblemType.MALFORMED_REQUEST, "The body of the " + to.what()
                    + " broke off; continue at offset " + committed);
        }
        to.inspection().inspect(committed);
        return committed;
    }

    private static boolean moreAfter(InputStream body) {
        try {
            return body.read() >= 0;
        } catch (IOException cut) {
            return false;
        }
    }

    private static long durable(FileChannel out, Destination to, long committed, long position) throws IOException {
        out.force(false);
        return to.commit().applyAsLong(committed, position);
    }

    /**
     * Looks at the descriptor once it is complete: refuses (marks FAILED, removes the staging, throws) what
     * can already be refused. An OVF descriptor then names the files that must follow.
     */
    private void inspect(PackageUploads.Upload upload, long committed) throws IOException {
        if (descriptorChecked.contains(upload.id()) || (upload.ovf() && committed < upload.length())) {
            return;
        }
        try {
            Optional<OvfEnvelope> envelope;
            if (upload.ovf()) {
                envelope = Optional.of(new OvfDescriptorReader().read(Files.readAllBytes(stagedFile(upload)),
                        upload.deploymentOption()));
            } else {
                try (InputStream in = new BufferedInputStream(Files.newInputStream(stagedFile(upload)))) {
                    envelope = new OvaReader(OvfLimits.defaults(), readOptions(upload)).readDescriptor(in, committed);
                }
            }
            if (envelope.isEmpty()) {
                return;
            }
            importer.check(envelope.get(), upload.vdcId(), upload.kind());
            if (upload.ovf()) {
                expectFiles(upload, envelope.get());
            }
            descriptorChecked.add(upload.id());
        } catch (OvfException e) {
            throw refuse(upload.id(), PackageProblems.of(e));
        } catch (VccProblemException e) {
            throw refuse(upload.id(), e);
        }
    }

    private void expectFiles(PackageUploads.Upload upload, OvfEnvelope envelope) {
        String descriptor = upload.descriptorName();
        String manifest = OvfPackage.manifestName(descriptor);
        for (FileReference file : envelope.files()) {
            if (file.href().contains("/")) {
                throw new VccProblemException(ProblemType.PACKAGE_UNSUPPORTED, "The descriptor references " + file.href()
                        + " in a subdirectory; upload such a package as an OVA");
            }
            if (file.href().equals(descriptor) || file.href().equals(manifest)
                    || file.href().equals(OvfPackage.certificateName(descriptor))) {
                throw new VccProblemException(ProblemType.PACKAGE_INVALID, "The descriptor references its own "
                        + file.href() + " as a file of the package");
            }
            Staging.checkName(file.href());
            uploads.expect(upload.id(), file.href(), file.size());
        }
        // A package allowed unsigned is imported once its files are in; a manifest sent before then is verified.
        if (upload.unsignedAllowedBy() == null) {
            uploads.expect(upload.id(), manifest, null);
        }
    }

    /** The deployment option asked for; a manifest unless someone allowed the package unsigned. */
    private static PackageOptions readOptions(PackageUploads.Upload upload) {
        return new PackageOptions(upload.deploymentOption(), upload.unsignedAllowedBy() == null);
    }

    private VccProblemException refuse(UUID id, VccProblemException problem) {
        uploads.failed(id, problem.type(), problem.getMessage());
        try {
            Staging.deleteTree(staging.uploadDir(id));
        } catch (IOException e) {
            log.warn("Could not remove the staging of refused upload {}: {}", id, e.toString());
        }
        budget.release(id);
        descriptorChecked.remove(id);
        log.info("Upload {} refused: {}", id, problem.getMessage());
        return problem;
    }

    // ---- importing ---------------------------------------------------------------------------------

    private void importPackage(UUID id) {
        PackageUploads.Upload upload = uploads.find(id).orElse(null);
        if (upload == null || upload.state() != PackageUploadState.IMPORTING) {
            return;
        }
        Path dir = staging.uploadDir(id);
        try {
            Path extracted = dir.resolve(PACKAGE);
            OvfPackage verified;
            if (upload.ovf()) {
                verified = new OvfPackageVerifier(OvfLimits.defaults(), readOptions(upload)).verify(stagedFile(upload));
            } else {
                Staging.deleteTree(extracted);
                try (InputStream in = new BufferedInputStream(Files.newInputStream(dir.resolve(OVA)), 1 << 20)) {
                    verified = new OvaReader(OvfLimits.defaults(), readOptions(upload)).extract(in, extracted);
                }
            }
            List<VmImport> specs = importer.prepare(importer.plan(verified.envelope(), extracted, upload.vdcId(), upload.name(),
                    upload.keepMacs(), upload.kind(), id.toString()));
            String name = upload.kind() == PackageKind.VM ? specs.get(0).name()
                    : upload.name() != null ? upload.name() : PackageImporter.vmName(verified.envelope().content().name());
            String importedId = transactions.execute(tx -> {
                String created = importer.create(upload.vdcId(), name, upload.kind(), specs);
                uploads.succeeded(id, created, verified.deploymentOption(), verified.verified());
                return created;
            });
            log.info("Upload {} imported as {} {} ({}) in VDC {}{}", id, upload.kind(), importedId, name, upload.vdcId(),
                    verified.verified() ? "" : ", without a manifest (allowed by " + upload.unsignedAllowedBy() + ")");
            Staging.deleteTree(dir);
            budget.release(id);
            descriptorChecked.remove(id);
            locks.remove(id);
        } catch (OvfException e) {
            refuse(id, PackageProblems.of(e));
        } catch (VccProblemException e) {
            refuse(id, e);
        } catch (Exception e) {
            log.warn("Import of upload {} failed", id, e);
            refuse(id, new VccProblemException(ProblemType.INTERNAL, "The import failed: " + e));
        }
    }

    /** Where the upload's own bytes go: the OVA, or the OVF descriptor beside the files that follow it. */
    private Path stagedFile(PackageUploads.Upload upload) {
        return upload.ovf() ? Staging.file(packageDir(upload.id()), upload.descriptorName())
                : staging.uploadDir(upload.id()).resolve(OVA);
    }

    private Path packageDir(UUID id) {
        return staging.uploadDir(id).resolve(PACKAGE);
    }

    /** The organization a VDC's uploads are charged to; a VDC gone meanwhile is its own. */
    private String tenantOf(String vdcId) {
        return inventory.vdc(vdcId).map(VdcInfo::organization).orElse("vdc " + vdcId);
    }

    private PackageUploads.Upload existing(UUID id, String vdcId) {
        return uploads.find(id, vdcId).orElseThrow(() -> VccProblemException.notFound("Upload", id));
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "package-import-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
