package io.vcc.node.transfer;

import io.vcc.api.node.DiskInfo;
import io.vcc.api.node.VmInfo;
import io.vcc.api.transfer.ExportRequest;
import io.vcc.api.transfer.PackageFile;
import io.vcc.api.transfer.PackageKind;
import io.vcc.api.transfer.TransferJobStatus;
import io.vcc.node.adapter.HypervisorAdapter;
import io.vcc.node.packaging.PackageSources;
import io.vcc.node.packaging.Staging;
import io.vcc.ovf.ControllerType;
import io.vcc.ovf.DiskAttachment;
import io.vcc.ovf.FileReference;
import io.vcc.ovf.ManifestEntry;
import io.vcc.ovf.NetworkAdapter;
import io.vcc.ovf.OvfContent;
import io.vcc.ovf.OvfDescriptorWriter;
import io.vcc.ovf.OvfDigestAlgorithm;
import io.vcc.ovf.OvfEnvelope;
import io.vcc.ovf.OvfManifest;
import io.vcc.ovf.OvfNetwork;
import io.vcc.ovf.StorageController;
import io.vcc.ovf.VirtualDisk;
import io.vcc.ovf.VirtualHardware;
import io.vcc.ovf.VirtualSystem;
import io.vcc.ovf.VirtualSystemCollection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The source's first phase of a transfer (seed 002, FIG. 17): the VM, vApp or template exported into an OVF
 * package in the staging area, its files hashed chunk by chunk, registered in the checkpoint log and listed in
 * an index written last, so that an export that completed is found again after a restart and one that did not
 * starts over. The package is then served to a pulling peer ({@code PackageController}) or pushed
 * ({@link SourcePush}); an OVA download borrows it through {@link PackageExports}.
 */
@Component
class SourceExport {

    static final String RAW_FORMAT = "urn:vcc:disk-format:raw";
    static final String PACKAGE_INDEX = ".package.json";
    private static final long MIB = 1024L * 1024;
    private static final JsonMapper JSON = JsonMapper.shared();
    private static final Logger log = LoggerFactory.getLogger(SourceExport.class);

    private final HypervisorAdapter hypervisor;
    private final PackageSources sources;
    private final Staging staging;
    private final Checkpoints checkpoints;
    private final TransferJobs jobs;
    private final ChunkPipeline pipeline;

    SourceExport(HypervisorAdapter hypervisor, PackageSources sources, Staging staging, Checkpoints checkpoints,
                 TransferJobs jobs, TransferProperties properties) {
        this.hypervisor = hypervisor;
        this.sources = sources;
        this.staging = staging;
        this.checkpoints = checkpoints;
        this.jobs = jobs;
        this.pipeline = new ChunkPipeline(jobs.hashers, properties.pipelineBuffers(), (int) properties.bufferSize().toBytes());
    }

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
            PackageSources.Source source = sources.require(request.kind(), request.sourceId(), null);
            List<VmInfo> members = sources.vms(source);
            List<List<Path>> images = members.stream().map(vm -> hypervisor.diskImages(vm.id())).toList();
            Staging.deleteTree(dir);
            Files.createDirectories(dir);
            job.bytesTotal = images.stream().flatMap(List::stream).mapToLong(SourceExport::size).sum();

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
                    : new VirtualSystemCollection(request.kind().name().toLowerCase(Locale.ROOT), source.name(), null,
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

    Path exportDir(UUID transferId) {
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
