package io.vcc.node.upload;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.PackageKind;
import io.vcc.api.transfer.PackageUploadState;
import io.vcc.node.adapter.VmImport;
import io.vcc.node.packaging.PackageImporter;
import io.vcc.node.packaging.PackageProblems;
import io.vcc.node.packaging.Staging;
import io.vcc.ovf.OvaReader;
import io.vcc.ovf.OvfException;
import io.vcc.ovf.OvfLimits;
import io.vcc.ovf.OvfPackage;
import io.vcc.ovf.OvfPackageVerifier;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Imports an upload whose bytes are all in, on a worker thread: the OVA is extracted by the hostile-safe
 * {@link OvaReader} (an OVF upload verified where it lies), manifest and certificate verified, and the VM, vApp
 * or template created; the upload then shows SUCCEEDED with what was created, or FAILED with the problem. What
 * was IMPORTING when the node stopped starts over from the staged bytes.
 */
@Component
class UploadImports implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(UploadImports.class);

    private final PackageUploads uploads;
    private final PackageImporter importer;
    private final UploadStaging staging;
    private final TransactionTemplate transactions;
    private final ExecutorService importers = Executors.newCachedThreadPool(daemon());

    UploadImports(PackageUploads uploads, PackageImporter importer, UploadStaging staging, TransactionTemplate transactions) {
        this.uploads = uploads;
        this.importer = importer;
        this.staging = staging;
        this.transactions = transactions;
    }

    /** Imports the upload (IMPORTING already) on a worker thread. */
    void start(UUID id) {
        importers.submit(() -> importPackage(id));
    }

    @EventListener(ApplicationReadyEvent.class)
    void resumeImports() {
        for (PackageUploads.Upload upload : uploads.inState(PackageUploadState.IMPORTING)) {
            start(upload.id());
        }
    }

    @Override
    public void destroy() {
        importers.shutdownNow();
    }

    private void importPackage(UUID id) {
        PackageUploads.Upload upload = uploads.find(id).orElse(null);
        if (upload == null || upload.state() != PackageUploadState.IMPORTING) {
            return;
        }
        Path dir = staging.dir(id);
        try {
            Path extracted = staging.packageDir(id);
            OvfPackage verified;
            if (upload.ovf()) {
                verified = new OvfPackageVerifier(OvfLimits.defaults(), DescriptorInspection.options(upload)).verify(staging.stagedFile(upload));
            } else {
                Staging.deleteTree(extracted);
                try (InputStream in = new BufferedInputStream(Files.newInputStream(dir.resolve(UploadStaging.OVA)), 1 << 20)) {
                    verified = new OvaReader(OvfLimits.defaults(), DescriptorInspection.options(upload)).extract(in, extracted);
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
            staging.discard(id);
        } catch (OvfException e) {
            staging.refuse(id, PackageProblems.of(e));
        } catch (VccProblemException e) {
            staging.refuse(id, e);
        } catch (Exception e) {
            log.warn("Import of upload {} failed", id, e);
            staging.refuse(id, new VccProblemException(ProblemType.INTERNAL, "The import failed: " + e));
        }
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
