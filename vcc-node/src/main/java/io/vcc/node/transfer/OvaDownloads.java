package io.vcc.node.transfer;

import io.vcc.api.node.VmInfo;
import io.vcc.ovf.OvaLayout;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.ExportRequest;
import io.vcc.api.transfer.JobState;
import io.vcc.api.transfer.PackageFile;
import io.vcc.api.transfer.TransferJobStatus;
import io.vcc.api.transfer.PackageKind;
import io.vcc.node.adapter.HypervisorAdapter;
import io.vcc.node.adapter.TemplateCatalog;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * A VM as an OVA to download. The VM is exported with the transfer export ({@link TransferService#export})
 * into the staging area once, then the OVA is served as an {@link OvaLayout} over those files: byte-stable,
 * so {@code Range} requests of one download fit together, with the manifest's digest as strong ETag. The
 * export is kept while the VM is unchanged (its disk images' sizes and times, its hardware) and is removed
 * {@code vcc.packages.download-ttl} after its last request (a time-to-live rather than after a full
 * download, so that a client can still resume or fetch it again); a changed VM is exported anew, under a
 * new ETag. Expired exports are swept when a download is asked for.
 */
@Service
class OvaDownloads {

    static final String MARKER = "ova-source.txt";
    private static final int EXPORT_CHUNK = 8 << 20;
    private static final Logger log = LoggerFactory.getLogger(OvaDownloads.class);

    private final HypervisorAdapter hypervisor;
    private final TemplateCatalog catalog;
    private final TransferService transfers;
    private final Staging staging;
    private final PackageProperties properties;
    private final Clock clock;
    private final Map<UUID, Object> locks = new ConcurrentHashMap<>();
    private volatile Instant lastSweep = Instant.EPOCH;

    OvaDownloads(HypervisorAdapter hypervisor, TemplateCatalog catalog, TransferService transfers, Staging staging,
                 PackageProperties properties, ObjectProvider<Clock> clock) {
        this.hypervisor = hypervisor;
        this.catalog = catalog;
        this.transfers = transfers;
        this.staging = staging;
        this.properties = properties;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    record Download(OvaLayout layout, String fileName) {
    }

    /**
     * The OVA of the VM, vApp or template {@code sourceId} of VDC {@code vdcId}, exported first when needed;
     * one of another VDC is not found.
     */
    Download prepare(PackageKind kind, String sourceId, String vdcId) throws IOException {
        List<VmInfo> members = members(kind, sourceId, vdcId);
        sweep();
        UUID id = UUID.nameUUIDFromBytes(("ova:" + kind + ":" + sourceId).getBytes(StandardCharsets.UTF_8));
        synchronized (locks.computeIfAbsent(id, key -> new Object())) {
            StringBuilder fingerprint = new StringBuilder(kind.name());
            for (VmInfo vm : members) {
                fingerprint.append('\n').append(source(vm));
            }
            String source = fingerprint.toString();
            Path marker = staging.transferDir(id).resolve(MARKER);
            boolean current = Files.exists(marker) && Files.readString(marker).equals(source)
                    && transfers.exported(id).isPresent();
            if (!current) {
                transfers.cleanup(id);
                export(id, new ExportRequest(kind, sourceId, EXPORT_CHUNK));
                Files.writeString(marker, source);
            }
            Files.setLastModifiedTime(marker, FileTime.from(clock.instant()));
            List<PackageFile> files = transfers.exported(id).orElseThrow();
            String descriptor = files.stream().map(PackageFile::name).filter(name -> name.endsWith(".ovf")).findFirst()
                    .orElseThrow(() -> new VccProblemException(ProblemType.INTERNAL, "The export of " + kind + " " + sourceId + " has no descriptor"));
            OvaLayout layout = OvaLayout.of(Staging.file(transfers.exportDirOf(id), descriptor));
            return new Download(layout, descriptor.substring(0, descriptor.length() - 4) + ".ova");
        }
    }

    private List<VmInfo> members(PackageKind kind, String sourceId, String vdcId) {
        return switch (kind) {
            case VM -> List.of(hypervisor.vm(sourceId).filter(vm -> vm.vdcId().equals(vdcId))
                    .orElseThrow(() -> VccProblemException.notFound("VM", sourceId)));
            case VAPP -> hypervisor.vapp(sourceId).filter(vapp -> vapp.vdcId().equals(vdcId))
                    .orElseThrow(() -> VccProblemException.notFound("vApp", sourceId))
                    .vmIds().stream().map(vmId -> hypervisor.vm(vmId).orElseThrow(() -> VccProblemException.notFound("VM", vmId))).toList();
            case TEMPLATE -> catalog.template(sourceId).filter(template -> template.vdcId().equals(vdcId))
                    .orElseThrow(() -> VccProblemException.notFound("Template", sourceId)).vms();
        };
    }

    private void export(UUID id, ExportRequest request) {
        String what = request.kind() + " " + request.sourceId();
        TransferJobStatus status = transfers.export(id, request);
        while (status.state() == JobState.RUNNING) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VccProblemException(ProblemType.INTERNAL, "Interrupted while exporting " + what);
            }
            status = transfers.export(id, request);
        }
        if (status.state() == JobState.FAILED) {
            ProblemType type = status.errorType() == null ? null
                    : ProblemType.fromUri(URI.create("urn:vcc:problem:" + status.errorType()));
            throw new VccProblemException(type == null ? ProblemType.INTERNAL : type, "Exporting " + what + " failed: " + status.error());
        }
    }

    /** What the exported package was made from, per VM; a different value means the VM changed since. */
    private String source(VmInfo vm) throws IOException {
        StringBuilder source = new StringBuilder(vm.name()).append('|').append(vm.cpus()).append('|').append(vm.memoryMb())
                .append('|').append(vm.nics());
        for (Path image : hypervisor.diskImages(vm.id())) {
            source.append('|').append(Files.size(image)).append('@').append(Files.getLastModifiedTime(image).toMillis());
        }
        return Integer.toHexString(Objects.hash(source.toString())) + " " + source;
    }

    /** Removes exports whose last request is older than the TTL; at most once a minute. */
    private void sweep() {
        Instant now = clock.instant();
        if (Duration.between(lastSweep, now).compareTo(Duration.ofMinutes(1)) < 0 && !lastSweep.equals(Instant.EPOCH)) {
            return;
        }
        lastSweep = now;
        Path root = staging.transferDir(UUID.randomUUID()).getParent();
        if (!Files.isDirectory(root)) {
            return;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                Path marker = dir.resolve(MARKER);
                if (!Files.exists(marker)) {
                    continue;
                }
                Instant used = Files.getLastModifiedTime(marker).toInstant();
                if (used.plus(properties.downloadTtl()).isBefore(now)) {
                    UUID id = UUID.fromString(dir.getFileName().toString());
                    synchronized (locks.computeIfAbsent(id, key -> new Object())) {
                        transfers.cleanup(id);
                    }
                    locks.remove(id);
                    log.info("Removed the staged OVA export {} unused for {}", id, properties.downloadTtl());
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            log.warn("Could not sweep staged OVA exports: {}", e.toString());
        }
    }
}
