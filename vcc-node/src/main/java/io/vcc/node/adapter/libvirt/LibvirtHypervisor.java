package io.vcc.node.adapter.libvirt;

import io.vcc.api.node.DiskInfo;
import io.vcc.api.node.NetworkInfo;
import io.vcc.api.node.NicInfo;
import io.vcc.api.node.PowerState;
import io.vcc.api.node.VappInfo;
import io.vcc.api.node.VdcInfo;
import io.vcc.api.node.VmInfo;
import io.vcc.api.node.VmSpec;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.adapter.CloudDirectorAdapter;
import io.vcc.node.adapter.HypervisorAdapter;
import io.vcc.node.adapter.VmImport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
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
 * VMs as libvirt domains. A VM's id is its domain's UUID; the VDC and vApp it belongs to and its name are in
 * the domain's {@code <metadata>}, so libvirt is the only store and a restarted node finds its VMs again.
 * Domains without that metadata belong to someone else: not listed, not found. VDCs, their networks and
 * allocations stay with the cloud director; a VDC's quota covers what the director reports used plus
 * this adapter's domains in it.
 *
 * <p>The VMs of catalog templates ({@link LibvirtTemplates}) are domains too, marked as such: they are found by
 * id (for export) but listed in no VDC or vApp, cannot be powered on or deleted, and count only their storage.
 *
 * <p>Changes run one at a time in this node ({@code changes}), so the checks before them (names, quota,
 * MACs) hold when they happen. Two nodes sharing one libvirt host are not coordinated.
 */
class LibvirtHypervisor implements HypervisorAdapter {

    private static final Logger log = LoggerFactory.getLogger(LibvirtHypervisor.class);
    static final long GIB = 1L << 30;
    private static final Duration SHUTDOWN_POLL = Duration.ofMillis(200);

    // Package-private: LibvirtTemplates works on the same domains, images and MACs, under the same lock.
    private final LibvirtConnection libvirt;
    final LibvirtImages images;
    private final CloudDirectorAdapter director;
    private final String domainType;
    private final Duration shutdownTimeout;
    final LibvirtMacs macs = new LibvirtMacs();
    final ReentrantLock changes = new ReentrantLock();
    /** Told of each VM deleted (e.g. its NICs leave their segments' bridges); set once, before the node serves. */
    private volatile Consumer<DomainDefinition> undefined = definition -> { };

    LibvirtHypervisor(LibvirtConnection libvirt, LibvirtImages images, CloudDirectorAdapter director, String domainType,
                      Duration shutdownTimeout) {
        this.libvirt = libvirt;
        this.images = images;
        this.director = director;
        this.shutdownTimeout = shutdownTimeout;
        this.domainType = domainType == null || domainType.isBlank() ? defaultDomainType(libvirt) : domainType;
    }

    private static String defaultDomainType(LibvirtConnection libvirt) {
        try {
            return "Test".equalsIgnoreCase(libvirt.driver()) ? "test" : "kvm";
        } catch (LibvirtException e) {
            throw new IllegalStateException("Cannot ask libvirt at " + libvirt.uri() + " for its driver: " + message(e), e);
        }
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

    @Override
    public String name() {
        return "libvirt";
    }

    @Override
    public Optional<VmInfo> vm(String vmId) {
        return find(vmId).map(LibvirtHypervisor::info);
    }

    @Override
    public List<VmInfo> vms(String vdcId) {
        VdcInfo vdc = vdc(vdcId);
        return ours(vdc.id(), domains()).stream().map(LibvirtHypervisor::info)
                .sorted(Comparator.comparing(VmInfo::name)).toList();
    }

    @Override
    public List<VappInfo> vapps(String vdcId) {
        VdcInfo vdc = vdc(vdcId);
        Map<String, List<Found>> byVapp = ours(vdc.id(), domains()).stream()
                .collect(Collectors.groupingBy(found -> found.definition().owner().vappId(), LinkedHashMap::new, Collectors.toList()));
        return byVapp.values().stream().map(LibvirtHypervisor::vappInfo).sorted(Comparator.comparing(VappInfo::name)).toList();
    }

    @Override
    public Optional<VappInfo> vapp(String vappId) {
        List<Found> members = domains().stream()
                .filter(found -> found.definition().ours() && !found.definition().owner().template()
                        && found.definition().owner().vappId().equals(vappId)).toList();
        return members.isEmpty() ? Optional.empty() : Optional.of(vappInfo(members));
    }

    @Override
    public VdcInfo withUsage(VdcInfo vdc) {
        return withOurUsage(vdc, domains());
    }

    @Override
    public VmInfo createVm(String vdcId, VmSpec spec) {
        changes.lock();
        try {
            VdcInfo vdc = vdc(vdcId);
            List<Found> all = domains();
            List<Found> inVdc = ours(vdc.id(), all);
            if (inVdc.stream().anyMatch(found -> found.definition().owner().vmName().equals(spec.name()))) {
                throw new VccProblemException(ProblemType.DUPLICATE, "VDC " + vdc.name() + " already has a VM named " + spec.name());
            }
            withOurUsage(vdc, all).requireRoomFor("VM " + spec.name(), spec.cpus(), spec.memoryMb(), spec.diskGb());
            String network = spec.network() == null || spec.network().isBlank() ? defaultNetwork(vdc) : spec.network();
            if (!networkNames(vdc).contains(network)) {
                throw new VccProblemException(ProblemType.VALIDATION, "VDC " + vdc.name() + " has no network named " + network);
            }
            boolean ownVapp = spec.vapp() == null || spec.vapp().isBlank();
            String vappName = ownVapp ? spec.name() : spec.vapp();
            String vappId = ownVapp ? UUID.randomUUID().toString() : inVdc.stream()
                    .map(found -> found.definition().owner())
                    .filter(owner -> owner.vappName().equals(vappName))
                    .map(DomainDefinition.Owner::vappId).findFirst().orElseGet(() -> UUID.randomUUID().toString());

            UUID id = UUID.randomUUID();
            try {
                Path disk = images.create(id, 0, spec.diskGb() * GIB);
                define(new DomainDefinition(id, new DomainDefinition.Owner(vdc.id(), vappId, vappName, spec.name(), false, null),
                        spec.cpus(), spec.memoryMb(), List.of(disk),
                        List.of(new DomainDefinition.Nic(macs.free(macsOf(all)), network))));
            } catch (RuntimeException e) {
                undo(id);
                throw e;
            }
            undoOnRollback(List.of(id));
            return info(required(id.toString()));
        } finally {
            changes.unlock();
        }
    }

    @Override
    public VmInfo power(String vmId, PowerState state) {
        if (state == PowerState.POWERED_OFF) {
            shutDown(required(vmId));
        }
        changes.lock();
        try {
            Found found = required(vmId);
            refuseTemplate(found);
            try {
                if (state == PowerState.POWERED_ON && !found.running()) {
                    found.domain().create();
                } else if (state == PowerState.POWERED_OFF && found.running()) {
                    // The guest did not shut down in time (or cannot be asked): pull the plug.
                    found.domain().destroy();
                }
            } catch (LibvirtException e) {
                throw failure("power VM " + vmId + (state == PowerState.POWERED_ON ? " on" : " off"), e);
            }
            return info(required(vmId));
        } finally {
            changes.unlock();
        }
    }

    /**
     * Asks the guest to shut down (ACPI) and waits up to {@code shutdownTimeout} for it, without holding the
     * lock of changes: a guest that flushes its disks first loses nothing a move copied before. A refusal (no
     * ACPI in the guest) is logged; {@link #power} then powers the VM off hard.
     */
    private void shutDown(Found vm) {
        if (!vm.running() || shutdownTimeout.isZero()) {
            return;
        }
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        try {
            vm.domain().shutdown();
            while (vm.domain().isActive() == 1 && System.nanoTime() < deadline) {
                Thread.sleep(SHUTDOWN_POLL.toMillis());
            }
        } catch (LibvirtException e) {
            log.info("VM {} did not shut down when asked: {}; powering it off", vm.definition().id(), message(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void deleteVm(String vmId) {
        changes.lock();
        try {
            Found found = required(vmId);
            refuseTemplate(found);
            if (found.running()) {
                throw new VccProblemException(ProblemType.INVALID_STATE, "VM " + vmId + " is powered on; power it off first");
            }
            try {
                found.domain().undefine();
            } catch (LibvirtException e) {
                throw failure("delete VM " + vmId, e);
            }
            // Only once libvirt no longer knows the domain: a failed undefine leaves the VM whole.
            images.delete(found.definition().id());
            undefined.accept(found.definition());
        } finally {
            changes.unlock();
        }
    }

    @Override
    public List<Path> diskImages(String vmId) {
        return required(vmId).definition().disks();
    }

    @Override
    public VmInfo importVm(String vdcId, VmImport vm) {
        return importAll(vdcId, "VM " + vm.name(), vm.name(), List.of(vm)).get(0);
    }

    @Override
    public VappInfo importVapp(String vdcId, String name, List<VmImport> vms) {
        if (vms.isEmpty()) {
            throw new VccProblemException(ProblemType.VALIDATION, "vApp " + name + " has no VMs to import");
        }
        List<VmInfo> created = importAll(vdcId, "vApp " + name, name, vms);
        return new VappInfo(created.get(0).vappId(), created.get(0).vdcId(), name, created.stream().map(VmInfo::id).toList());
    }

    /**
     * Makes each disk image in another format than raw a raw image beside it, after {@code qemu-img info} has shown
     * that it refers to no other file and holds no disk larger than its capacity ({@link LibvirtImages#toRaw}).
     * Slow for large disks, so it runs before the lock of changes and before the caller's transaction; all or
     * none: what it made is removed again when a disk is refused.
     */
    @Override
    public List<VmImport> prepareImport(List<VmImport> vms) {
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
     * Checks everything (names, quota, networks) before changing anything, then defines the VMs one by one;
     * when one fails, those defined before it are undefined and their images removed. Disks not yet prepared
     * (a caller that did not {@link #prepareImport}) are prepared first, outside the lock.
     */
    private List<VmInfo> importAll(String vdcId, String what, String vappName, List<VmImport> given) {
        List<VmImport> specs = prepareImport(given);
        changes.lock();
        try {
            VdcInfo vdc = vdc(vdcId);
            List<Found> all = domains();
            List<Found> inVdc = ours(vdc.id(), all);
            Set<String> names = inVdc.stream().map(found -> found.definition().owner().vmName()).collect(Collectors.toSet());
            for (VmImport spec : specs) {
                if (!names.add(spec.name())) {
                    throw new VccProblemException(ProblemType.DUPLICATE, "VDC " + vdc.name() + " already has a VM named " + spec.name());
                }
            }
            long capacity = specs.stream().flatMap(spec -> spec.disks().stream()).mapToLong(VmImport.Disk::capacityBytes).sum();
            withOurUsage(vdc, all).requireRoomFor(what, specs.stream().mapToInt(VmImport::cpus).sum(),
                    specs.stream().mapToLong(VmImport::memoryMb).sum(), (capacity + GIB - 1) / GIB);

            String vappId = UUID.randomUUID().toString();
            List<UUID> defined = defineImported(vdc, all, specs,
                    spec -> new DomainDefinition.Owner(vdc.id(), vappId, vappName, spec.name(), false, spec.importKey()));
            return defined.stream().map(id -> info(required(id.toString()))).toList();
        } finally {
            changes.unlock();
            removePrepared(given, specs);
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

    /**
     * Defining a domain and committing the caller's record of it are two steps; a node that stopped between
     * them left domains marked with the import's key that nothing refers to.
     */
    @Override
    public void discardImport(String importKey) {
        changes.lock();
        try {
            for (Found found : domains()) {
                if (found.definition().ours() && importKey.equals(found.definition().owner().importKey())) {
                    log.info("Removing VM {} ({}): import {} left it without committing it", found.definition().id(),
                            found.definition().owner().vmName(), importKey);
                    undo(found.definition().id());
                }
            }
        } finally {
            changes.unlock();
        }
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

    private static VappInfo vappInfo(List<Found> members) {
        DomainDefinition.Owner owner = members.get(0).definition().owner();
        return new VappInfo(owner.vappId(), owner.vdcId(), owner.vappName(), members.stream()
                .sorted(Comparator.comparing(found -> found.definition().owner().vmName()))
                .map(found -> found.definition().id().toString()).toList());
    }

    void onUndefined(Consumer<DomainDefinition> listener) {
        this.undefined = listener;
    }

    /**
     * Defines the VM again with its NICs as {@code change} makes them (a running VM gets them at its next boot, the
     * hypervisor's rule for a persistent definition); answers the VM as it is then.
     */
    DomainDefinition redefineNics(String vmId, UnaryOperator<List<DomainDefinition.Nic>> change) {
        changes.lock();
        try {
            Found found = required(vmId);
            refuseTemplate(found);
            DomainDefinition vm = found.definition();
            DomainDefinition changed = new DomainDefinition(vm.id(), vm.owner(), vm.cpus(), vm.memoryMb(), vm.disks(),
                    change.apply(new ArrayList<>(vm.nics())));
            define(changed);
            return changed;
        } finally {
            changes.unlock();
        }
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

    private Optional<Found> find(String vmId) {
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
    VmInfo info(String vmId) {
        return info(required(vmId));
    }

    static VdcInfo withOurUsage(VdcInfo vdc, List<Found> all) {
        List<Found> inVdc = all.stream().filter(found -> found.definition().ours() && found.definition().owner().vdcId().equals(vdc.id())).toList();
        List<Found> vms = inVdc.stream().filter(found -> !found.definition().owner().template()).toList();
        int cpus = vms.stream().mapToInt(found -> found.definition().cpus()).sum();
        long memoryMb = vms.stream().mapToLong(found -> found.definition().memoryMb()).sum();
        long storageGb = inVdc.stream().mapToLong(LibvirtHypervisor::storageGb).sum();
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
                        ids.forEach(LibvirtHypervisor.this::undo);
                    } finally {
                        changes.unlock();
                    }
                }
            }
        });
    }

    private static void refuseTemplate(Found found) {
        if (found.definition().owner().template()) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "VM " + found.definition().id() + " belongs to catalog template "
                    + found.definition().owner().vappName() + "; instantiate the template, or delete the template as a whole");
        }
    }

    static VccProblemException failure(String what, LibvirtException e) {
        return new VccProblemException(ProblemType.INTERNAL, "libvirt could not " + what + ": " + message(e), e);
    }

    private static String message(LibvirtException e) {
        return e.getError() != null && e.getError().getMessage() != null ? e.getError().getMessage() : String.valueOf(e.getMessage());
    }
}
