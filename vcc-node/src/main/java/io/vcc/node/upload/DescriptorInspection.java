package io.vcc.node.upload;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.packaging.PackageImporter;
import io.vcc.node.packaging.PackageProblems;
import io.vcc.node.packaging.Staging;
import io.vcc.ovf.FileReference;
import io.vcc.ovf.OvaReader;
import io.vcc.ovf.OvfDescriptorReader;
import io.vcc.ovf.OvfEnvelope;
import io.vcc.ovf.OvfException;
import io.vcc.ovf.OvfLimits;
import io.vcc.ovf.OvfPackage;
import io.vcc.ovf.PackageOptions;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The early check of an upload's descriptor, as soon as it is in (the OVA's first member, or the whole OVF
 * upload): hostile XML, a VM that does not fit the VDC or a vApp are refused before the disks arrive, and an OVF
 * descriptor then names the files that must follow. Each upload is checked once; after a restart, once again.
 */
@Component
class DescriptorInspection {

    private final PackageImporter importer;
    private final PackageUploads uploads;
    private final Set<UUID> checked = ConcurrentHashMap.newKeySet();

    DescriptorInspection(PackageImporter importer, PackageUploads uploads) {
        this.importer = importer;
        this.uploads = uploads;
    }

    /**
     * Checks the descriptor in {@code staged} once enough of it is committed; throws the problem that refuses the
     * upload (the caller refuses it).
     */
    void check(PackageUploads.Upload upload, Path staged, long committed) throws IOException {
        if (checked.contains(upload.id()) || (upload.ovf() && committed < upload.length())) {
            return;
        }
        try {
            Optional<OvfEnvelope> envelope;
            if (upload.ovf()) {
                envelope = Optional.of(new OvfDescriptorReader().read(Files.readAllBytes(staged), upload.deploymentOption()));
            } else {
                try (InputStream in = new BufferedInputStream(Files.newInputStream(staged))) {
                    envelope = new OvaReader(OvfLimits.defaults(), options(upload)).readDescriptor(in, committed);
                }
            }
            if (envelope.isEmpty()) {
                return;
            }
            importer.check(envelope.get(), upload.vdcId(), upload.kind());
            if (upload.ovf()) {
                expectFiles(upload, envelope.get());
            }
            checked.add(upload.id());
        } catch (OvfException e) {
            throw PackageProblems.of(e);
        }
    }

    /** The upload is gone or refused: nothing to remember of it. */
    void forget(UUID id) {
        checked.remove(id);
    }

    /** The deployment option asked for; a manifest unless someone allowed the package unsigned. */
    static PackageOptions options(PackageUploads.Upload upload) {
        return new PackageOptions(upload.deploymentOption(), upload.unsignedAllowedBy() == null);
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
}
