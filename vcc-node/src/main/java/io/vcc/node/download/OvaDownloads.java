package io.vcc.node.download;

import io.vcc.node.packaging.PackageProperties;
import io.vcc.node.packaging.Staging;
import io.vcc.node.transfer.PackageExports;
import io.vcc.api.node.VmInfo;
import io.vcc.ovf.OvaLayout;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.ExportRequest;
import io.vcc.api.transfer.PackageFile;
import io.vcc.api.transfer.PackageKind;
import io.vcc.node.adapter.HypervisorAdapter;
import io.vcc.node.packaging.PackageSources;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * A VM, vApp or template as an OVA to download. It is exported once by the transfer engine's export job
 * ({@link PackageExports}, under an export id of its own) into the staging area, then the OVA is served as an
 * {@link OvaLayout} over those files: byte-stable, so {@code Range} requests of one download fit together, with
 * the manifest's digest as strong ETag. The export is kept while the source is unchanged (its disk images' sizes
 * and times, its hardware) and is removed {@code vcc.packages.download-ttl} after its last request (a
 * time-to-live rather than after a full download, so that a client can still resume or fetch it again); a
 * changed source is exported anew, under a new id and a new ETag. Which export serves which source is in a
 * marker file beside it, so a restarted node finds its exports again. Expired exports are swept when a
 * download is asked for.
 */
@Service
class OvaDownloads {

    static final String MARKER = "ova-source.txt";
    private static final int EXPORT_CHUNK = 8 << 20;
    private static final Logger log = LoggerFactory.getLogger(OvaDownloads.class);

    private final HypervisorAdapter hypervisor;
    private final PackageSources sources;
    private final PackageExports exports;
    private final Staging staging;
    private final PackageProperties properties;
    private final Clock clock;
    /** The export serving each source ({@code kind:id}), as far as this node has looked it up. */
    private final Map<String, UUID> current = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private volatile Instant lastSweep = Instant.EPOCH;

    OvaDownloads(HypervisorAdapter hypervisor, PackageSources sources, PackageExports exports, Staging staging,
                 PackageProperties properties, ObjectProvider<Clock> clock) {
        this.hypervisor = hypervisor;
        this.sources = sources;
        this.exports = exports;
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
        List<VmInfo> members = sources.vms(sources.require(kind, sourceId, vdcId));
        sweep();
        String key = kind + ":" + sourceId;
        synchronized (locks.computeIfAbsent(key, k -> new Object())) {
            StringBuilder fingerprint = new StringBuilder(kind.name());
            for (VmInfo vm : members) {
                fingerprint.append('\n').append(source(vm));
            }
            String marked = key + "\n" + fingerprint;
            UUID id = exportOf(key).orElse(null);
            if (id != null && !(Files.readString(marker(id)).equals(marked) && exports.exported(id).isPresent())) {
                // The source changed since (or its export never completed): its old export goes.
                forget(key, id);
                id = null;
            }
            if (id == null) {
                id = export(key, new ExportRequest(kind, sourceId, EXPORT_CHUNK), marked);
            }
            Files.setLastModifiedTime(marker(id), FileTime.from(clock.instant()));
            List<PackageFile> files = exports.exported(id).orElseThrow();
            String descriptor = files.stream().map(PackageFile::name).filter(name -> name.endsWith(".ovf")).findFirst()
                    .orElseThrow(() -> new VccProblemException(ProblemType.INTERNAL, "The export of " + kind + " " + sourceId + " has no descriptor"));
            OvaLayout layout = OvaLayout.of(Staging.file(exports.directory(id), descriptor));
            return new Download(layout, descriptor.substring(0, descriptor.length() - 4) + ".ova");
        }
    }

    /** Starts a new export of the source under a new id and waits for it; a failed one leaves nothing behind. */
    private UUID export(String key, ExportRequest request, String marked) throws IOException {
        UUID id = UUID.randomUUID();
        try {
            exports.export(id, request);
            Files.writeString(marker(id), marked);
        } catch (IOException | RuntimeException e) {
            exports.remove(id);
            throw e;
        }
        current.put(key, id);
        return id;
    }

    /** The export that serves the source: known here, or found by its marker (after a restart). */
    private Optional<UUID> exportOf(String key) throws IOException {
        UUID known = current.get(key);
        if (known != null && Files.exists(marker(known))) {
            return Optional.of(known);
        }
        current.remove(key);
        for (Path dir : exportDirs()) {
            Path marker = dir.resolve(MARKER);
            if (firstLine(marker).equals(key)) {
                UUID id = UUID.fromString(dir.getFileName().toString());
                current.put(key, id);
                return Optional.of(id);
            }
        }
        return Optional.empty();
    }

    private void forget(String key, UUID id) throws IOException {
        current.remove(key, id);
        exports.remove(id);
    }

    private Path marker(UUID id) {
        return staging.transferDir(id).resolve(MARKER);
    }

    /** The staging directories of OVA exports: those with a marker. */
    private List<Path> exportDirs() throws IOException {
        Path root = staging.root();
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(root)) {
            for (Path dir : listing) {
                if (Files.exists(dir.resolve(MARKER)) && isUuid(dir.getFileName().toString())) {
                    dirs.add(dir);
                }
            }
        }
        return dirs;
    }

    private static boolean isUuid(String name) {
        try {
            UUID.fromString(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String firstLine(Path file) {
        try (BufferedReader reader = Files.newBufferedReader(file)) {
            String line = reader.readLine();
            return line == null ? "" : line;
        } catch (IOException e) {
            return "";
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
        try {
            for (Path dir : exportDirs()) {
                Path marker = dir.resolve(MARKER);
                Instant used = Files.getLastModifiedTime(marker).toInstant();
                if (used.plus(properties.downloadTtl()).isBefore(now)) {
                    String key = firstLine(marker);
                    UUID id = UUID.fromString(dir.getFileName().toString());
                    synchronized (locks.computeIfAbsent(key, k -> new Object())) {
                        forget(key, id);
                    }
                    log.info("Removed the staged OVA export {} unused for {}", id, properties.downloadTtl());
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Could not sweep staged OVA exports: {}", e.toString());
        }
    }
}
