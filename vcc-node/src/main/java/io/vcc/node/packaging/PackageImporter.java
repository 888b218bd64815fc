package io.vcc.node.packaging;

import io.vcc.api.node.VdcInfo;
import io.vcc.ovf.DiskAttachment;
import io.vcc.ovf.FileReference;
import io.vcc.ovf.NetworkAdapter;
import io.vcc.ovf.OvfEnvelope;
import io.vcc.ovf.VirtualDisk;
import io.vcc.ovf.VirtualSystem;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.PackageKind;
import io.vcc.node.adapter.CloudInventory;
import io.vcc.node.adapter.HypervisorAdapter;
import io.vcc.node.adapter.TemplateCatalog;
import io.vcc.node.adapter.VmImport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import org.springframework.stereotype.Component;

/**
 * Turns a package's descriptor into what to create, and creates it: a VM (one virtual system), a vApp or a
 * catalog template (their virtual systems, VMs named as in the package), each VM with its CPUs, memory
 * (allocation units applied by the reader), disks with their capacities and NICs with their networks and,
 * when asked, MACs. What the cloud cannot take is refused with a reason before anything is created: several
 * virtual systems for a VM, a compression other than gzip, what does not fit the VDC's allocation (a
 * template counts only its storage).
 *
 * <p>The simulated cloud stores a disk file's bytes as the VM's disk image whatever its format (VMDK
 * stream-optimized, raw, qcow2...): it neither converts nor inspects them, so the VM's disk holds exactly the
 * package's file. A disk without a file (a blank disk) gets an empty image of the stated capacity.
 */
@Component
public class PackageImporter {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    private final CloudInventory inventory;
    private final HypervisorAdapter hypervisor;
    private final TemplateCatalog catalog;

    PackageImporter(CloudInventory inventory, HypervisorAdapter hypervisor, TemplateCatalog catalog) {
        this.inventory = inventory;
        this.hypervisor = hypervisor;
        this.catalog = catalog;
    }

    /** The descriptor's checks that need no file: one VM when a VM is asked for, supported files, fits the VDC. */
    public List<VirtualSystem> check(OvfEnvelope envelope, String vdcId, PackageKind kind) {
        List<VirtualSystem> systems = envelope.virtualSystems();
        if (kind == PackageKind.VM && systems.size() != 1) {
            throw new VccProblemException(ProblemType.PACKAGE_UNSUPPORTED, "The package holds " + systems.size()
                    + " virtual systems (a vApp); import it as a vApp or a template, not as one VM");
        }
        for (VirtualSystem system : systems) {
            checkFiles(envelope, system);
        }
        VdcInfo vdc = inventory.vdc(vdcId).orElseThrow(() -> VccProblemException.notFound("VDC", vdcId));
        boolean template = kind == PackageKind.TEMPLATE;
        int cpus = template ? 0 : systems.stream().mapToInt(system -> system.hardware().cpus()).sum();
        long memoryMb = template ? 0 : systems.stream().mapToLong(PackageImporter::memoryMb).sum();
        long storageGb = (systems.stream().mapToLong(system -> capacity(envelope, system)).sum() + GIB - 1) / GIB;
        vdc.requireRoomFor(kind == PackageKind.VM ? "VM " + systems.get(0).name() + " of the package"
                : "The package's " + kind.name().toLowerCase(Locale.ROOT), cpus, memoryMb, storageGb);
        return systems;
    }

    private static void checkFiles(OvfEnvelope envelope, VirtualSystem system) {
        for (DiskAttachment attachment : system.hardware().disks()) {
            VirtualDisk disk = envelope.disk(attachment.diskId()).orElseThrow();
            if (disk.fileRef() != null) {
                String compression = envelope.file(disk.fileRef()).map(FileReference::compression).orElse(null);
                if (compression != null && !compression.equalsIgnoreCase("gzip")) {
                    throw new VccProblemException(ProblemType.PACKAGE_UNSUPPORTED, "Disk " + disk.diskId()
                            + " is compressed with '" + compression + "'; only gzip is supported");
                }
            }
        }
    }

    /**
     * The VMs to create from a verified package extracted into {@code directory}: for a VM named {@code name}
     * (the package's own when null), for a vApp or template named as in the package. Gzip-compressed disk
     * files are expanded there (bounded by the disk's capacity), blank disks get an empty image. {@code importKey}
     * (the transfer's or upload's id) marks them as this import's.
     */
    public List<VmImport> plan(OvfEnvelope envelope, Path directory, String vdcId, String name, boolean keepMacs, PackageKind kind,
                        String importKey) throws IOException {
        List<VmImport> specs = new ArrayList<>();
        for (VirtualSystem system : check(envelope, vdcId, kind)) {
            String vmName = kind == PackageKind.VM && name != null ? name : vmName(system.name());
            specs.add(vm(envelope, system, directory, vmName, keepMacs, specs.size(), importKey));
        }
        return specs;
    }

    /**
     * The planned VMs with their images as the hypervisor takes them over (libvirt: inspected, refused when unsafe,
     * converted to raw beside them). Callers run it after {@link #plan} and before their transaction and
     * {@link #create}: it may read and write every disk, which no transaction or lock should wait for.
     */
    public List<VmImport> prepare(List<VmImport> specs) {
        return hypervisor.prepareImport(specs);
    }

    /**
     * Creates the VM, vApp or template; answers its id. Runs in the caller's transaction, all or nothing, and only
     * for an import the caller has not committed: what an earlier attempt of it left (a node stopped before the
     * commit) is removed first, so the retry neither collides with it nor leaves it behind.
     */
    public String create(String vdcId, String name, PackageKind kind, List<VmImport> specs) {
        specs.stream().map(VmImport::importKey).distinct().filter(Objects::nonNull).forEach(hypervisor::discardImport);
        return switch (kind) {
            case VM -> hypervisor.importVm(vdcId, specs.get(0)).id();
            case VAPP -> hypervisor.importVapp(vdcId, name, specs).id();
            case TEMPLATE -> catalog.importTemplate(vdcId, name, specs).id();
        };
    }

    private VmImport vm(OvfEnvelope envelope, VirtualSystem system, Path directory, String name, boolean keepMacs, int ordinal,
                        String importKey) throws IOException {
        List<VmImport.Disk> disks = new ArrayList<>();
        List<DiskAttachment> attached = system.hardware().disks();
        for (int i = 0; i < attached.size(); i++) {
            VirtualDisk disk = envelope.disk(attached.get(i).diskId()).orElseThrow();
            Path image;
            if (disk.fileRef() == null) {
                image = Files.createFile(directory.resolve(".blank-" + ordinal + "-" + i + ".img"));
            } else {
                FileReference file = envelope.file(disk.fileRef()).orElseThrow();
                image = directory.resolve(file.href()).normalize();
                if (!image.startsWith(directory) || !Files.isRegularFile(image)) {
                    throw new VccProblemException(ProblemType.PACKAGE_INVALID, "Disk " + disk.diskId() + " has no file "
                            + file.href() + " in the package");
                }
                if (file.compression() != null) {
                    image = gunzip(image, directory.resolve(".expanded-" + ordinal + "-" + i + ".img"), disk);
                }
            }
            disks.add(new VmImport.Disk(i, disk.capacityBytes(), image, disk.fileRef() == null ? null : disk.format()));
        }
        List<VmImport.Nic> nics = new ArrayList<>();
        List<NetworkAdapter> adapters = system.hardware().nics();
        for (int i = 0; i < adapters.size(); i++) {
            nics.add(new VmImport.Nic(i, adapters.get(i).network(), keepMacs ? adapters.get(i).macAddress() : null));
        }
        return new VmImport(name, system.hardware().cpus(), memoryMb(system), disks, nics, importKey);
    }

    /** A package's VM name as a name VDCs accept: letters, digits, dots, dashes and underscores, at most 63. */
    public static String vmName(String packageName) {
        String cleaned = packageName == null ? "" : packageName.strip().replaceAll("[^A-Za-z0-9._-]+", "-")
                .replaceAll("^[^A-Za-z0-9]+", "");
        if (cleaned.length() > 63) {
            cleaned = cleaned.substring(0, 63);
        }
        return cleaned.isEmpty() ? "imported-vm" : cleaned;
    }

    private static long memoryMb(VirtualSystem system) {
        return Math.max(1, (system.hardware().memoryBytes() + MIB - 1) / MIB);
    }

    private static long capacity(OvfEnvelope envelope, VirtualSystem system) {
        return system.hardware().disks().stream()
                .mapToLong(attachment -> envelope.disk(attachment.diskId()).map(VirtualDisk::capacityBytes).orElse(0L))
                .sum();
    }

    private static Path gunzip(Path compressed, Path target, VirtualDisk disk) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(compressed), 64 * 1024);
             OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[256 * 1024];
            long total = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                // A gzip bomb must not fill the datastore: no image is larger than its disk.
                if (total > disk.capacityBytes()) {
                    throw new VccProblemException(ProblemType.PACKAGE_INVALID, "Disk " + disk.diskId()
                            + " expands beyond its capacity of " + disk.capacityBytes() + " bytes");
                }
                out.write(buffer, 0, n);
            }
        } catch (java.util.zip.ZipException e) {
            throw new VccProblemException(ProblemType.PACKAGE_INVALID, "Disk " + disk.diskId() + " is not valid gzip: " + e.getMessage());
        }
        return target;
    }

}
