package io.vcc.node.transfer;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.ImportRequest;
import io.vcc.api.transfer.PackageFile;
import io.vcc.api.transfer.TransferJobStatus;
import io.vcc.api.transfer.VerifyRequest;
import io.vcc.node.adapter.VmImport;
import io.vcc.node.packaging.PackageImporter;
import io.vcc.node.packaging.PackageProblems;
import io.vcc.node.packaging.Staging;
import io.vcc.ovf.ManifestEntry;
import io.vcc.ovf.OvfDescriptorReader;
import io.vcc.ovf.OvfEnvelope;
import io.vcc.ovf.OvfException;
import io.vcc.ovf.OvfPackage;
import io.vcc.ovf.OvfPackageVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The target's last phases: verify the received package against its manifest (a file whose every chunk was
 * checked and logged on receipt is not read again: the manifest must state the digest the source took), then
 * import it into the VDC, the import recorded in the same transaction as the VMs' records so that a repeated
 * request answers what was imported.
 */
@Component
class TargetImport {

    private final Staging staging;
    private final Checkpoints checkpoints;
    private final TransferJobs jobs;
    private final PackageImporter importer;
    private final TransactionTemplate transactions;

    TargetImport(Staging staging, Checkpoints checkpoints, TransferJobs jobs, PackageImporter importer,
                 TransactionTemplate transactions) {
        this.staging = staging;
        this.checkpoints = checkpoints;
        this.jobs = jobs;
        this.importer = importer;
        this.transactions = transactions;
    }

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
                        ? SourceExport.sha256(Files.readAllBytes(Staging.file(dir, file.name())))
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

    private static PackageFile descriptor(List<PackageFile> files) {
        return files.stream().filter(f -> f.name().endsWith(".ovf")).findFirst()
                .orElseThrow(() -> new VccProblemException(ProblemType.PACKAGE_INVALID, "The package has no OVF descriptor"));
    }

    private static long size(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
