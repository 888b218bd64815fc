package io.vcc.node.upload;

import io.vcc.node.packaging.PackageProperties;
import io.vcc.node.packaging.Staging;
import io.vcc.node.packaging.StagingBudget;
import io.vcc.ovf.OvaReader;
import io.vcc.ovf.OvfLimits;
import io.vcc.ovf.OvfPackage;
import io.vcc.api.node.VdcInfo;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.PackageFileRequest;
import io.vcc.api.transfer.PackageUploadRequest;
import io.vcc.api.transfer.PackageUploadState;
import io.vcc.api.transfer.PackageUploadStatus;
import io.vcc.node.adapter.CloudInventory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

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
class PackageUploadService {

    private final PackageUploads uploads;
    private final CloudInventory inventory;
    private final UploadStaging staging;
    private final DurableAppend append;
    private final DescriptorInspection inspection;
    private final UploadImports imports;
    private final PackageProperties properties;
    private final StagingBudget budget;
    private final Map<UUID, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Clock clock;
    private volatile Instant lastSweep;

    PackageUploadService(PackageUploads uploads, CloudInventory inventory, UploadStaging staging, DurableAppend append,
                         DescriptorInspection inspection, UploadImports imports, PackageProperties properties,
                         StagingBudget budget, ObjectProvider<Clock> clock) {
        this.uploads = uploads;
        this.inventory = inventory;
        this.staging = staging;
        this.append = append;
        this.inspection = inspection;
        this.imports = imports;
        this.properties = properties;
        this.budget = budget;
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
            Path file = staging.stagedFile(upload);
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file);
            return uploads.status(upload);
        } catch (IOException | RuntimeException e) {
            uploads.delete(id);
            staging.discard(id);
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
            append.receive(new DurableAppend.Destination("upload " + id, staging.stagedFile(upload), upload.length(), upload.offset(),
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
            Path path = Staging.file(staging.packageDir(id), name);
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
            append.receive(new DurableAppend.Destination(name + " of upload " + id, Staging.file(staging.packageDir(id), name),
                    file.length(), file.offset(),
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
            imports.start(id);
            // Nothing writes to it any more: a request still waiting for the lock finds it IMPORTING.
            locks.remove(id);
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
            staging.discard(id);
        } finally {
            lock.unlock();
            locks.remove(id);
        }
    }

    /** Expires abandoned uploads when a new one comes, at most once a minute (the staging janitor does too, see {@link AbandonedUploads}). */
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
                    staging.refuse(upload.id(), new VccProblemException(ProblemType.INVALID_STATE, "The upload got no bytes for "
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

    /** The descriptor's early check; what it refuses marks the upload FAILED and removes its staging. */
    private void inspect(PackageUploads.Upload upload, long committed) throws IOException {
        try {
            inspection.check(upload, staging.stagedFile(upload), committed);
        } catch (VccProblemException e) {
            throw staging.refuse(upload.id(), e);
        }
    }

    /** The organization a VDC's uploads are charged to; a VDC gone meanwhile is its own. */
    private String tenantOf(String vdcId) {
        return inventory.vdc(vdcId).map(VdcInfo::organization).orElse("vdc " + vdcId);
    }

    private PackageUploads.Upload existing(UUID id, String vdcId) {
        return uploads.find(id, vdcId).orElseThrow(() -> VccProblemException.notFound("Upload", id));
    }
}
