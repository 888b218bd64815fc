package io.vcc.node.adapter.libvirt;

import io.vcc.api.node.DiskInfo;
import io.vcc.api.node.NetworkInfo;
import io.vcc.api.node.NicInfo;
import io.vcc.api.node.PowerState;
import io.vcc.api.node.VdcInfo;
import io.vcc.api.node.VmInfo;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.adapter.CloudDirectorAdapter;
import io.vcc.node.adapter.VmImport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.libvirt.Domain;
import org.libvirt.Error;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The domains of a libvirt node and what changes them, shared by the {@link LibvirtHypervisor} (the VDCs' VMs)
 * and the {@link LibvirtTemplates} (the catalog's, domains too): listing and finding domains, defining and
 * undoing them, taking over or copying their disk images, choosing free MACs, and the lock of changes.
 *
 * <p>Changes run one at a time in this node ({@link #lock()}), so the checks before them (names, quota, MACs)
 * hold when they happen. Two nodes sharing one libvirt host are not coordinated.
 */
final class LibvirtDomains {

    private static final Logger log = LoggerFactory.getLogger(LibvirtDomains.class);
    static final long GIB = 1L << 30;

    private final LibvirtConnection libvirt;
    private final LibvirtImages images;
    private final CloudDirectorAdapter director;
    private final String domainType;
    private final LibvirtMacs macs = new LibvirtMacs();
    private final ReentrantLock changes = new ReentrantLock();

    LibvirtDomains(LibvirtConnection libvirt, LibvirtImages images, CloudDirectorAdapter director, String domainType) {
        this.libvirt = libvirt;
        this.images = images;
        this.director = director;
        this.domainType = domainType == null || domainType.isBlank() ? defaultDomainType(libvirt) : domainType;
    }

    private static String defaultDomainType(LibvirtConnection libvirt) {
        try {
            return "Test".equalsIgnoreCase(libvirt.driver()) ? "test" : "kvm";
        } catch (LibvirtException e) {
            throw new IllegalStateException("Cannot ask libvirt at " + libvirt.uri() + " for its driver: " + message(e), e);
        }
    }

    /** Takes the lock of changes: what is checked after this holds until {@link #unlock()}. */
    void lock() {
        changes.lock();
    }

    void unlock() {
        changes.unlock();
    }

    /**
     * Removes image directories no domain refers to: what a node that stopped between writing images and
     * defining (or after undefining) a domain left, and all of them after a restart on {@code test:///default},
     * whose domains live in memory. Runs before the node serves, so no operation of its own is under way.
     */
    void removeImagesWithoutDomains() {
        Set<UUID> defined = domains().stream().map(found -> found.definition().id()).collect(Collectors.toSet());
        for (UUID vmId : images.vmIds()) {
            if (!defined.contains(vmId)) {
                log.info("Removing the disk images of VM {}: libvirt at {} has no such domain", vmId, libvirt.uri());
                images.delete(vmId);
            }
        }
    }

    /** A free MAC, not one of {@code taken} (which the caller adds it to when it keeps it). */
    String freeMac(Set<String> taken) {
        return macs.free(taken);
    }

    /** A sparse copy of {@code source} as disk {@code index} of VM {@code id}. */
    Path copyImage(UUID id, int index, Path source) {
        return images.copy(id, index, source);
    }

    /** Removes the VM's disk images (once libvirt no longer knows its domain). */
    void deleteImages(UUID id) {
        images.delete(id);
    }

    /** A new empty disk image of {@code bytes} as disk {@code index} of VM {@code id}. */
    Path createImage(UUID id, int index, long bytes) {
        return images.create(id, index, bytes);
    }

    /**
     * Makes each disk image in another format than raw a raw image beside it, after {@code qemu-img info} has shown
     * that it refers to no other file and holds no disk larger than its capacity ({@link LibvirtImages#toRaw}).
     * Slow for large disks, so it runs before the lock of changes and before the caller's transaction; all or
     * none: what it made is removed again when a disk is refused.
     */
    List<VmImport> prepareImport(List<VmImport> vms) {
        for (VmImport vm : vms) {
            vm.disks().forEach(disk -> images.requireAdoptable(disk.format()));
        }
        List<Path> made = new ArrayList<>();
        try {
            List<VmImport> prepared = new ArrayList<>();
            for (VmImport vm : vms) {
                List<VmImport.Disk> disks = new ArrayList<>();
                for (VmImport.Disk disk : vm.disks()) {
                    if (QemuImg.format(disk.format()) == null) {
                        disks.add(disk);
                    } else {
                        Path raw = images.toRaw(disk.image(), disk.capacityBytes(), disk.format(),
                                "Disk " + disk.index() + " of VM " + vm.name() + " (" + disk.image().getFileName() + ")");
                        made.add(raw);
                        disks.add(new VmImport.Disk(disk.index(), disk.capacityBytes(), raw, null));
                    }
                }
                prepared.add(new VmImport(vm.name(), vm.cpus(), vm.memoryMb(), disks, vm.nics(), vm.importKey()));
            }
            return prepared;
        } catch (RuntimeException e) {
            made.forEach(LibvirtImages::deleteQuietly);
            throw e;
        }
    }

    /** Removes the raw images {@link #prepareImport} made of {@code given} once the VMs have their own links or copies. */
    static void removePrepared(List<VmImport> given, List<VmImport> prepared) {
        for (int v = 0; v < given.size(); v++) {
            for (int d = 0; d < given.get(v).disks().size(); d++) {
                Path made = prepared.get(v).disks().get(d).image();
                if (!made.equals(given.get(v).disks().get(d).image())) {
                    LibvirtImages.deleteQuietly(made);
                }
            }
        }
    }

    /**
     * Defines a VM for each of {@code specs} in {@code vdc}, owned as {@code owner} says, once the caller's own
     * checks (names, quota) have passed: every NIC is planned first (on its network, or the VDC's default one;
     * its MAC kept when free on the host), then the images (raw, {@link #prepareImport prepared}) are taken over
     * and the domains defined. All or none, and undone again when the caller's transaction rolls back. Runs
     * under {@code changes}.
     */
    List<UUID> defineImported(VdcInfo vdc, List<Found> all, List<VmImport> specs, Function<VmImport, DomainDefinition.Owner> owner) {
        if (specs.stream().flatMap(spec -> spec.disks().stream()).anyMatch(disk -> QemuImg.format(disk.format()) != null)) {
            throw new IllegalStateException("Disk images must be prepared (made raw) before their VMs are defined");
        }
        Set<String> networks = networkNames(vdc);
        Set<String> taken = macsOf(all);
        List<List<DomainDefinition.Nic>> nics = new ArrayList<>();
        for (VmImport spec : specs) {
            List<DomainDefinition.Nic> planned = new ArrayList<>();
            for (VmImport.Nic nic : spec.nics().stream().sorted(Comparator.comparingInt(VmImport.Nic::index)).toList()) {
                String network = network(vdc, networks, nic.network(), "NIC " + nic.index() + " of VM " + spec.name());
                String kept = LibvirtMacs.normalized(nic.mac());
                String mac = kept != null && taken.add(kept) ? kept : macs.free(taken);
                taken.add(mac);
                planned.add(new DomainDefinition.Nic(mac, network));
            }
            nics.add(planned);
        }
        List<UUID> defined = new ArrayList<>();
        try {
            for (int v = 0; v < specs.size(); v++) {
                VmImport spec = specs.get(v);
                UUID id = UUID.randomUUID();
                defined.add(id);
                List<Path> disks = spec.disks().stream().sorted(Comparator.comparingInt(VmImport.Disk::index))
                        .map(disk -> images.adopt(id, disk.index(), disk.image(), disk.capacityBytes())).toList();
                define(new DomainDefinition(id, owner.apply(spec), spec.cpus(), spec.memoryMb(), disks, nics.get(v)));
            }
        } catch (RuntimeException e) {
            defined.forEach(this::undo);
            throw e;
        }
        undoOnRollback(defined);
        return defined;
    }

    /** {@code wanted} if the VDC has that network, else the VDC's default one; refuses when it has neither. */
    static String network(VdcInfo vdc, Set<String> networks, String wanted, String what) {
        String network = wanted != null && networks.contains(wanted) ? wanted : defaultNetwork(vdc);
        if (!networks.contains(network)) {
            throw new VccProblemException(ProblemType.VALIDATION, "VDC " + vdc.name() + " has no network for " + what
                    + " (neither " + wanted + " nor " + network + ")");
        }
        return network;
    }

    /** A domain with what its XML says and whether it runs. */
    record Found(Domain domain, DomainDefinition definition, boolean running) {
    }

    static VmInfo info(Found found) {
        DomainDefinition vm = found.definition();
        DomainDefinition.Owner owner = vm.owner();
        List<DiskInfo> disks = IntStream.range(0, vm.disks().size())
                .mapToObj(i -> new DiskInfo(vm.id() + "-disk-" + i, i, LibvirtImages.length(vm.disks().get(i)), null)).toList();
        List<NicInfo> nics = IntStream.range(0, vm.nics().size())
                .mapToObj(i -> new NicInfo(i, vm.nics().get(i).network(), vm.nics().get(i).mac(), vm.nics().get(i).ip())).toList();
        return new VmInfo(vm.id().toString(), owner.vdcId(), owner.vappId(), owner.vmName(),
                found.running() ? PowerState.POWERED_ON : PowerState.POWERED_OFF, vm.cpus(), vm.memoryMb(), disks, nics);
    }

    /** Every domain on the connection, ours or not: MACs must be unique on the host, not only among ours. */
    List<Found> domains() {
        Domain[] all;
        try {
            all = libvirt.connect().listAllDomains(0);
        } catch (LibvirtException e) {
            throw failure("list the domains", e);
        }
        List<Found> found = new ArrayList<>();
        for (Domain domain : all) {
            try {
                found.add(new Found(domain, DomainXml.read(domain.getXMLDesc(0)), domain.isActive() == 1));
            } catch (LibvirtException | RuntimeException unreadable) {
                // Undefined since it was listed, or someone else's domain in a form we do not read.
                log.debug("Skipping a domain: {}", unreadable.toString());
            }
        }
        return found;
    }

    /** The VDC's VMs: domains of ours in it, not those of its catalog's templates. */
    static List<Found> ours(String vdcId, List<Found> all) {
        return all.stream().filter(found -> found.definition().ours() && !found.definition().owner().template()
                && found.definition().owner().vdcId().equals(vdcId)).toList();
    }

    Optional<Found> find(String vmId) {
        UUID id;
        try {
            id = UUID.fromString(vmId);
        } catch (IllegalArgumentException notAnId) {
            return Optional.empty();
        }
        try {
            Domain domain = libvirt.connect().domainLookupByUUIDString(id.toString());
            DomainDefinition definition = DomainXml.read(domain.getXMLDesc(0));
            return definition.ours() ? Optional.of(new Found(domain, definition, domain.isActive() == 1)) : Optional.empty();
        } catch (LibvirtException e) {
            if (e.getError() != null && e.getError().getCode() == Error.ErrorNumber.VIR_ERR_NO_DOMAIN) {
                return Optional.empty();
            }
            throw failure("look up VM " + vmId, e);
        }
    }

    Found required(String vmId) {
        return find(vmId).orElseThrow(() -> VccProblemException.notFound("VM", vmId));
    }

    VdcInfo vdc(String vdcId) {
        return director.vdc(vdcId).orElseThrow(() -> VccProblemException.notFound("VDC", vdcId));
    }

    Set<String> networkNames(VdcInfo vdc) {
        return director.networks(vdc.id()).stream().map(NetworkInfo::name).collect(Collectors.toSet());
    }

    static String defaultNetwork(VdcInfo vdc) {
        return vdc.name() + "-net";
    }

    static Set<String> macsOf(List<Found> all) {
        Set<String> macs = new HashSet<>();
        all.forEach(found -> found.definition().nics().forEach(nic -> macs.add(nic.mac())));
        return macs;
    }

    /**
     * The VDC as the director reports it, with what this adapter's domains in it (of {@code all}) use added:
     * a template's VMs never run, so they count their storage only.
     */
    static VdcInfo withOurUsage(VdcInfo vdc, List<Found> all) {
        List<Found> inVdc = all.stream().filter(found -> found.definition().ours() && found.definition().owner().vdcId().equals(vdc.id())).toList();
        List<Found> vms = inVdc.stream().filter(found -> !found.definition().owner().template()).toList();
        int cpus = vms.stream().mapToInt(found -> found.definition().cpus()).sum();
        long memoryMb = vms.stream().mapToLong(found -> found.definition().memoryMb()).sum();
        long storageGb = inVdc.stream().mapToLong(LibvirtDomains::storageGb).sum();
        return new VdcInfo(vdc.id(), vdc.organization(), vdc.name(), vdc.cpuQuota(), vdc.memoryMbQuota(), vdc.storageGbQuota(),
                vdc.cpuUsed() + cpus, vdc.memoryMbUsed() + memoryMb, vdc.storageGbUsed() + storageGb);
    }

    /** What the VM's disk images take of a VDC's storage quota: their lengths, rounded up to whole GiB per VM. */
    static long storageGb(Found found) {
        long bytes = found.definition().disks().stream().mapToLong(LibvirtImages::length).sum();
        return (bytes + GIB - 1) / GIB;
    }

    void define(DomainDefinition vm) {
        try {
            libvirt.connect().domainDefineXML(DomainXml.write(vm, domainType));
        } catch (LibvirtException e) {
            throw failure("define VM " + vm.owner().vmName(), e);
        }
    }

    /** Best effort: removes the domain (stopping it first) and its images; what fails is logged. */
    void undo(UUID id) {
        try {
            Domain domain = libvirt.connect().domainLookupByUUIDString(id.toString());
            if (domain.isActive() == 1) {
                domain.destroy();
            }
            domain.undefine();
        } catch (LibvirtException e) {
            if (e.getError() == null || e.getError().getCode() != Error.ErrorNumber.VIR_ERR_NO_DOMAIN) {
                log.warn("Could not remove VM {} after a failed operation: {}", id, message(e));
            }
        }
        images.delete(id);
    }

    /**
     * Ties VMs just made to the caller's transaction, if there is one (an import commits its record in one):
     * libvirt does not roll back, so when the transaction does, the VMs are removed.
     */
    void undoOnRollback(List<UUID> ids) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                if (status != STATUS_COMMITTED) {
                    changes.lock();
                    try {
                        ids.forEach(LibvirtDomains.this::undo);
                    } finally {
                        changes.unlock();
                    }
                }
            }
        });
    }

    static VccProblemException failure(String what, LibvirtException e) {
        return new VccProblemException(ProblemType.INTERNAL, "libvirt could not " + what + ": " + message(e), e);
    }

    static String message(LibvirtException e) {
        return e.getError() != null && e.getError().getMessage() != null ? e.getError().getMessage() : String.valueOf(e.getMessage());
    }
}
