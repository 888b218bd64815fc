package io.vcc.node.adapter.libvirt;

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
import io.vcc.node.adapter.libvirt.LibvirtDomains.Found;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>Changes run one at a time in this node, under the lock of the {@link LibvirtDomains} it shares with the
 * catalog, so the checks before them (names, quota, MACs) hold when they happen.
 */
class LibvirtHypervisor implements HypervisorAdapter {

    private static final Logger log = LoggerFactory.getLogger(LibvirtHypervisor.class);
    private static final Duration SHUTDOWN_POLL = Duration.ofMillis(200);

    private final LibvirtDomains domains;
    private final Duration shutdownTimeout;
    /** Told of each VM deleted (e.g. its NICs leave their segments' bridges); set once, before the node serves. */
    private volatile Consumer<DomainDefinition> undefined = definition -> { };

    LibvirtHypervisor(LibvirtDomains domains, Duration shutdownTimeout) {
        this.domains = domains;
        this.shutdownTimeout = shutdownTimeout;
    }

    LibvirtHypervisor(LibvirtConnection libvirt, LibvirtImages images, CloudDirectorAdapter director, String domainType,
                      Duration shutdownTimeout) {
        this(new LibvirtDomains(libvirt, images, director, domainType), shutdownTimeout);
    }

    /** The catalog of this node's templates: their VMs are domains beside the VDCs' VMs, changed under the same lock. */
    LibvirtTemplates catalog() {
        return new LibvirtTemplates(domains);
    }

    /** See {@link LibvirtDomains#removeImagesWithoutDomains}. */
    void removeImagesWithoutDomains() {
        domains.removeImagesWithoutDomains();
    }

    @Override
    public String name() {
        return "libvirt";
    }

    @Override
    public Optional<VmInfo> vm(String vmId) {
        return domains.find(vmId).map(LibvirtDomains::info);
    }

    @Override
    public List<VmInfo> vms(String vdcId) {
        VdcInfo vdc = domains.vdc(vdcId);
        return LibvirtDomains.ours(vdc.id(), domains.domains()).stream().map(LibvirtDomains::info)
                .sorted(Comparator.comparing(VmInfo::name)).toList();
    }

    @Override
    public List<VappInfo> vapps(String vdcId) {
        VdcInfo vdc = domains.vdc(vdcId);
        Map<String, List<Found>> byVapp = LibvirtDomains.ours(vdc.id(), domains.domains()).stream()
                .collect(Collectors.groupingBy(found -> found.definition().owner().vappId(), LinkedHashMap::new, Collectors.toList()));
        return byVapp.values().stream().map(LibvirtHypervisor::vappInfo).sorted(Comparator.comparing(VappInfo::name)).toList();
    }

    @Override
    public Optional<VappInfo> vapp(String vappId) {
        List<Found> members = domains.domains().stream()
                .filter(found -> found.definition().ours() && !found.definition().owner().template()
                        && found.definition().owner().vappId().equals(vappId)).toList();
        return members.isEmpty() ? Optional.empty() : Optional.of(vappInfo(members));
    }

    @Override
    public VdcInfo withUsage(VdcInfo vdc) {
        return LibvirtDomains.withOurUsage(vdc, domains.domains());
    }

    @Override
    public VmInfo createVm(String vdcId, VmSpec spec) {
        domains.lock();
        try {
            VdcInfo vdc = domains.vdc(vdcId);
            List<Found> all = domains.domains();
            List<Found> inVdc = LibvirtDomains.ours(vdc.id(), all);
            if (inVdc.stream().anyMatch(found -> found.definition().owner().vmName().equals(spec.name()))) {
                throw new VccProblemException(ProblemType.DUPLICATE, "VDC " + vdc.name() + " already has a VM named " + spec.name());
            }
            LibvirtDomains.withOurUsage(vdc, all).requireRoomFor("VM " + spec.name(), spec.cpus(), spec.memoryMb(), spec.diskGb());
            String network = spec.network() == null || spec.network().isBlank() ? LibvirtDomains.defaultNetwork(vdc) : spec.network();
            if (!domains.networkNames(vdc).contains(network)) {
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
                Path disk = domains.createImage(id, 0, spec.diskGb() * LibvirtDomains.GIB);
                domains.define(new DomainDefinition(id, new DomainDefinition.Owner(vdc.id(), vappId, vappName, spec.name(), false, null),
                        spec.cpus(), spec.memoryMb(), List.of(disk),
                        List.of(new DomainDefinition.Nic(domains.freeMac(LibvirtDomains.macsOf(all)), network))));
            } catch (RuntimeException e) {
                domains.undo(id);
                throw e;
            }
            domains.undoOnRollback(List.of(id));
            return LibvirtDomains.info(domains.required(id.toString()));
        } finally {
            domains.unlock();
        }
    }

    @Override
    public VmInfo power(String vmId, PowerState state) {
        if (state == PowerState.POWERED_OFF) {
            shutDown(domains.required(vmId));
        }
        domains.lock();
        try {
            Found found = domains.required(vmId);
            refuseTemplate(found);
            try {
                if (state == PowerState.POWERED_ON && !found.running()) {
                    found.domain().create();
                } else if (state == PowerState.POWERED_OFF && found.running()) {
                    // The guest did not shut down in time (or cannot be asked): pull the plug.
                    found.domain().destroy();
                }
            } catch (LibvirtException e) {
                throw LibvirtDomains.failure("power VM " + vmId + (state == PowerState.POWERED_ON ? " on" : " off"), e);
            }
            return LibvirtDomains.info(domains.required(vmId));
        } finally {
            domains.unlock();
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
            log.info("VM {} did not shut down when asked: {}; powering it off", vm.definition().id(), LibvirtDomains.message(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void deleteVm(String vmId) {
        domains.lock();
        try {
            Found found = domains.required(vmId);
            refuseTemplate(found);
            if (found.running()) {
                throw new VccProblemException(ProblemType.INVALID_STATE, "VM " + vmId + " is powered on; power it off first");
            }
            try {
                found.domain().undefine();
            } catch (LibvirtException e) {
                throw LibvirtDomains.failure("delete VM " + vmId, e);
            }
            // Only once libvirt no longer knows the domain: a failed undefine leaves the VM whole.
            domains.deleteImages(found.definition().id());
            undefined.accept(found.definition());
        } finally {
            domains.unlock();
        }
    }

    @Override
    public List<Path> diskImages(String vmId) {
        return domains.required(vmId).definition().disks();
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

    /** See {@link LibvirtDomains#prepareImport}: conversions to raw, before the lock and the caller's transaction. */
    @Override
    public List<VmImport> prepareImport(List<VmImport> vms) {
        return domains.prepareImport(vms);
    }

    /**
     * Checks everything (names, quota, networks) before changing anything, then defines the VMs one by one;
     * when one fails, those defined before it are undefined and their images removed. Disks not yet prepared
     * (a caller that did not {@link #prepareImport}) are prepared first, outside the lock.
     */
    private List<VmInfo> importAll(String vdcId, String what, String vappName, List<VmImport> given) {
        List<VmImport> specs = domains.prepareImport(given);
        domains.lock();
        try {
            VdcInfo vdc = domains.vdc(vdcId);
            List<Found> all = domains.domains();
            List<Found> inVdc = LibvirtDomains.ours(vdc.id(), all);
            Set<String> names = inVdc.stream().map(found -> found.definition().owner().vmName()).collect(Collectors.toSet());
            for (VmImport spec : specs) {
                if (!names.add(spec.name())) {
                    throw new VccProblemException(ProblemType.DUPLICATE, "VDC " + vdc.name() + " already has a VM named " + spec.name());
                }
            }
            long capacity = specs.stream().flatMap(spec -> spec.disks().stream()).mapToLong(VmImport.Disk::capacityBytes).sum();
            LibvirtDomains.withOurUsage(vdc, all).requireRoomFor(what, specs.stream().mapToInt(VmImport::cpus).sum(),
                    specs.stream().mapToLong(VmImport::memoryMb).sum(), (capacity + LibvirtDomains.GIB - 1) / LibvirtDomains.GIB);

            String vappId = UUID.randomUUID().toString();
            List<UUID> defined = domains.defineImported(vdc, all, specs,
                    spec -> new DomainDefinition.Owner(vdc.id(), vappId, vappName, spec.name(), false, spec.importKey()));
            return defined.stream().map(id -> LibvirtDomains.info(domains.required(id.toString()))).toList();
        } finally {
            domains.unlock();
            LibvirtDomains.removePrepared(given, specs);
        }
    }

    /**
     * Defining a domain and committing the caller's record of it are two steps; a node that stopped between
     * them left domains marked with the import's key that nothing refers to.
     */
    @Override
    public void discardImport(String importKey) {
        domains.lock();
        try {
            for (Found found : domains.domains()) {
                if (found.definition().ours() && importKey.equals(found.definition().owner().importKey())) {
                    log.info("Removing VM {} ({}): import {} left it without committing it", found.definition().id(),
                            found.definition().owner().vmName(), importKey);
                    domains.undo(found.definition().id());
                }
            }
        } finally {
            domains.unlock();
        }
    }

    private static VappInfo vappInfo(List<Found> members) {
        DomainDefinition.Owner owner = members.get(0).definition().owner();
        return new VappInfo(owner.vappId(), owner.vdcId(), owner.vappName(), members.stream()
                .sorted(Comparator.comparing(found -> found.definition().owner().vmName()))
                .map(found -> found.definition().id().toString()).toList());
    }

    /** Tells {@code listener} of each VM deleted (LibvirtSegments: its NICs leave their segments' bridges). */
    void onUndefined(Consumer<DomainDefinition> listener) {
        this.undefined = listener;
    }

    /**
     * Defines the VM again with its NICs as {@code change} makes them (a running VM gets them at its next boot, the
     * hypervisor's rule for a persistent definition); answers the VM as it is then.
     */
    DomainDefinition redefineNics(String vmId, UnaryOperator<List<DomainDefinition.Nic>> change) {
        domains.lock();
        try {
            Found found = domains.required(vmId);
            refuseTemplate(found);
            DomainDefinition vm = found.definition();
            DomainDefinition changed = new DomainDefinition(vm.id(), vm.owner(), vm.cpus(), vm.memoryMb(), vm.disks(),
                    change.apply(new ArrayList<>(vm.nics())));
            domains.define(changed);
            return changed;
        } finally {
            domains.unlock();
        }
    }

    /** The VM as it is now; not found when this adapter has no such VM. */
    VmInfo info(String vmId) {
        return LibvirtDomains.info(domains.required(vmId));
    }

    /** The domains, as {@link LibvirtDomains#domains} (for the segments, which work on the same VMs). */
    List<Found> domains() {
        return domains.domains();
    }

    Found required(String vmId) {
        return domains.required(vmId);
    }

    VdcInfo vdc(String vdcId) {
        return domains.vdc(vdcId);
    }

    private static void refuseTemplate(Found found) {
        if (found.definition().owner().template()) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "VM " + found.definition().id() + " belongs to catalog template "
                    + found.definition().owner().vappName() + "; instantiate the template, or delete the template as a whole");
        }
    }
}
