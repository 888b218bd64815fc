package io.vcc.node.transfer;

import io.vcc.api.ovf.OvaReader;
import io.vcc.api.ovf.OvfEnvelope;
import io.vcc.api.ovf.OvfException;
import io.vcc.api.ovf.OvfPackage;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
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
 * the problem. A refused package creates nothing in the VDC and its staging is removed.
 */
@Service
class PackageUploadService implements DisposableBean {

    static final String OVA = "upload.ova";
    private static final String EXTRACTED = "package";
    private static final Logger log = LoggerFactory.getLogger(PackageUploadService.class);

    private final PackageUploads uploads;
    private final PackageImporter importer;
    private final CloudInventory inventory;
    private final Staging staging;
    private final PackageProperties properties;
    private final TransactionTemplate transactions;
    private final OvaReader reader = new OvaReader();
    private final Map<UUID, ReentrantLock> locks = new ConcurrentHashMap<>();
    /** Uploads whose descriptor passed the early check; after a restart it is simply checked again. */
    private final Set<UUID> descriptorChecked = ConcurrentHashMap.newKeySet();
    private final ExecutorService importers = Executors.newCachedThreadPool(daemon());
    private final Clock clock;
    private volatile Instant lastSweep;

    PackageUploadService(PackageUploads uploads, PackageImporter importer,
                         CloudInventory inventory, Staging staging, PackageProperties properties,
                         TransactionTemplate transactions, ObjectProvider<Clock> clock) {
        this.uploads = uploads;
        this.importer = importer;
        this.inventory = inventory;
        this.staging = staging;
        this.properties = properties;
        this.transactions = transactions;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    PackageUploadStatus create(PackageUploadRequest request) throws IOException {
        sweepAbandoned();
        inventory.vdc(request.vdcId()).orElseThrow(() -> VccProblemException.notFound("VDC", request.vdcId()));
        if (request.length() > properties.maxUploadSize().toBytes()) {
            throw new VccProblemException(ProblemType.REQUEST_TOO_LARGE, "The package has " + request.length()
                    + " bytes; this node accepts at most " + properties.maxUploadSize().toBytes());
        }
        PackageUploads.Upload upload = uploads.create(request.vdcId(), request.name(),
                Boolean.TRUE.equals(request.keepMacs()), request.kind(), request.length());
        Path dir = staging.uploadDir(upload.id());
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(OVA));
        Files.createFile(dir.resolve(OVA));
        return upload.status();
    }

    PackageUploadStatus status(UUID id, String vdcId) {
        return existing(id, vdcId).status();
    }

    /**
     * Appends the body at {@code offset}, which must be the committed offset. Bytes are committed as they
     * become durable; a body that breaks off leaves the offset at what was durably written.
     *
     * @param contentLength the body's declared length, or -1 when unknown (chunked)
     */
    PackageUploadStatus append(UUID id, String vdcId, long offset, long contentLength, InputStream body) throws IOException {
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
            if (offset != upload.offset()) {
                throw new VccProblemException(ProblemType.OFFSET_MISMATCH, "Upload " + id + " continues at offset "
                        + upload.offset() + " (of " + upload.length() + "), not at " + offset);
            }
            if (contentLength >= 0 && offset + contentLength > upload.length()) {
                throw new VccProblemException(ProblemType.VALIDATION, "The body of " + contentLength + " bytes at offset "
                        + offset + " goes beyond the upload's length of " + upload.length());
            }
            long committed = receive(upload, body);
            if (committed == upload.length() && uploads.move(id, PackageUploadState.RECEIVING, PackageUploadState.IMPORTING)) {
                importers.submit(() -> importPackage(id));
            }
            return existing(id, vdcId).status();
        } finally {
            lock.unlock();
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

    /** Uploads without a byte for {@code vcc.packages.upload-ttl} give their staging back; at most once a minute. */
    private void sweepAbandoned() {
        Instant now = clock.instant();
        if (lastSweep != null && lastSweep.plus(Duration.ofMinutes(1)).isAfter(now)) {
            return;
        }
        lastSweep = now;
        for (PackageUploads.Upload upload : uploads.receivingUntouchedSince(now.minus(properties.uploadTtl()))) {
            ReentrantLock lock = locks.computeIfAbsent(upload.id(), key -> new ReentrantLock());
            if (lock.tryLock()) {
                try {
                    refuse(upload.id(), new VccProblemException(ProblemType.INVALID_STATE, "The upload got no bytes for "
                            + properties.uploadTtl() + " and was abandoned; start it again"));
                } finally {
                    lock.unlock();
                    locks.remove(upload.id());
                }
            }
        }
    }

    // ---- receiving ---------------------------------------------------------------------------------

    private long receive(PackageUploads.Upload upload, InputStream body) throws IOException {
        UUID id = upload.id();
        long interval = properties.commitInterval().toBytes();
        long position = upload.offset();
        long committed = upload.offset();
        boolean refused = false;
        boolean brokeOff = false;
        Path file = staging.uploadDir(id).resolve(OVA);
        if (!Files.exists(file)) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "Upload " + id + " lost its staged bytes; delete it and start again");
        }
        FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE);
        try {
            // Bytes a cut request wrote past its last commit are not vouched for: they are written again.
            out.truncate(position);
            byte[] buffer = new byte[256 * 1024];
            while (position < upload.length() && !brokeOff) {
                // Fill the buffer before writing: a socket hands out a few KiB per read.
                int wanted = (int) Math.min(buffer.length, upload.length() - position);
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
                    committed = durable(out, id, committed, position);
                    inspect(upload, committed);
                }
                if (ended) {
                    break;
                }
            }
            if (position == upload.length() && !brokeOff && moreAfter(body)) {
                throw new VccProblemException(ProblemType.VALIDATION, "The body goes beyond the upload's length of " + upload.length());
            }
        } catch (VccProblemException e) {
            refused = e.type() != ProblemType.VALIDATION;
            throw e;
        } finally {
            if (!refused && position > committed) {
                committed = durable(out, id, committed, position);
            }
            out.close();
        }
        if (brokeOff) {
            // The sender is gone (a cut connection); the offset it will ask for is what is durable now.
            throw new VccProblemException(ProblemType.MALFORMED_REQUEST, "The body of upload " + id
                    + " broke off; continue at offset " + committed);
        }
        inspect(upload, committed);
        return committed;
    }

    private static boolean moreAfter(InputStream body) {
        try {
            return body.read() >= 0;
        } catch (IOException cut) {
            return false;
        }
    }

    private long durable(FileChannel out, UUID id, long committed, long position) throws IOException {
        out.force(false);
        return uploads.commit(id, committed, position);
    }

    /**
     * Looks at the descriptor once it is complete: refuses (marks FAILED, removes the staging, throws) what
     * can already be refused.
     */
    private void inspect(PackageUploads.Upload upload, long committed) throws IOException {
        if (descriptorChecked.contains(upload.id())) {
            return;
        }
        Optional<OvfEnvelope> envelope;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(staging.uploadDir(upload.id()).resolve(OVA)))) {
            envelope = reader.readDescriptor(in, committed);
            envelope.ifPresent(descriptor -> importer.check(descriptor, upload.vdcId(), upload.kind()));
        } catch (OvfException e) {
            throw refuse(upload.id(), PackageProblems.of(e));
        } catch (VccProblemException e) {
            throw refuse(upload.id(), e);
        }
        if (envelope.isPresent()) {
            descriptorChecked.add(upload.id());
        }
    }

    private VccProblemException refuse(UUID id, VccProblemException problem) {
        uploads.failed(id, problem.type(), problem.getMessage());
        try {
            Staging.deleteTree(staging.uploadDir(id));
        } catch (IOException e) {
            log.warn("Could not remove the staging of refused upload {}: {}", id, e.toString());
        }
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
            Path extracted = dir.resolve(EXTRACTED);
            Staging.deleteTree(extracted);
            OvfPackage verified;
            try (InputStream in = new BufferedInputStream(Files.newInputStream(dir.resolve(OVA)), 1 << 20)) {
                verified = reader.extract(in, extracted);
            }
            List<VmImport> specs = importer.plan(verified.envelope(), extracted, upload.vdcId(), upload.name(), upload.keepMacs(),
                    upload.kind());
            String name = upload.kind() == PackageKind.VM ? specs.get(0).name()
                    : upload.name() != null ? upload.name() : PackageImporter.vmName(verified.envelope().content().name());
            String importedId = transactions.execute(tx -> {
                String created = importer.create(upload.vdcId(), name, upload.kind(), specs);
                uploads.succeeded(id, created);
                return created;
            });
            log.info("Upload {} imported as {} {} ({}) in VDC {}", id, upload.kind(), importedId, name, upload.vdcId());
            Staging.deleteTree(dir);
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
