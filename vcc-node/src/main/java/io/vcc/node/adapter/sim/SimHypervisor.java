package io.vcc.node.adapter.sim;

import io.vcc.api.node.PowerState;
import io.vcc.api.node.VappInfo;
import io.vcc.api.node.VdcInfo;
import io.vcc.api.node.VmInfo;
import io.vcc.api.node.VmSpec;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.adapter.HypervisorAdapter;
import io.vcc.node.adapter.VmImport;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The simulated hypervisor: VMs with real (sparse) disk files and NICs with unique MACs and addresses
 * from their network, created only within the VDC's allocation.
 */
@Service
@Transactional
@ConditionalOnProperty(name = "vcc.adapters.hypervisor", havingValue = "sim", matchIfMissing = true)
class SimHypervisor implements HypervisorAdapter {

    private final SimCloud cloud;
    private final SimVdcs vdcs;
    private final SimNetworks networks;
    private final SimVapps vapps;
    private final SimVms vms;
    private final SimDiskFiles diskFiles;
    private final SimFaults faults;
    private final SimQuota quota;
    private final SimMacs macs;
    private final SimImports imports;
    private final SimPlacement placement;
    private final Clock clock;
    private final ObjectProvider<SimNetns> netns;

    SimHypervisor(SimCloud cloud, SimVdcs vdcs, SimNetworks networks, SimVapps vapps, SimVms vms,
                  SimDiskFiles diskFiles, SimFaults faults, SimQuota quota, SimMacs macs, SimImports imports,
                  SimPlacement placement, ObjectProvider<Clock> clock, ObjectProvider<SimNetns> netns) {
        this.netns = netns;
        this.cloud = cloud;
        this.vdcs = vdcs;
        this.networks = networks;
        this.vapps = vapps;
        this.vms = vms;
        this.diskFiles = diskFiles;
        this.faults = faults;
        this.quota = quota;
        this.macs = macs;
        this.imports = imports;
        this.placement = placement;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    @Override
    public String name() {
        return "sim";
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<VmInfo> vm(String vmId) {
        return SimIds.parse(vmId).flatMap(vms::findById).map(SimVm::toInfo);
    }

    @Override
    @Transactional(readOnly = true)
    public List<VmInfo> vms(String vdcId) {
        return vms.findByVdcIdAndTemplateFalseOrderByName(existingVdc(vdcId)).stream().map(SimVm::toInfo).toList();
    }

    @Override
    @Transactional(readOnly = true)
    public List<VappInfo> vapps(String vdcId) {
        return vapps.findByVdcIdAndTemplateOrderByName(existingVdc(vdcId), false).stream().map(this::info).toList();
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<VappInfo> vapp(String vappId) {
        return SimIds.parse(vappId).flatMap(vapps::findById).filter(vapp -> !vapp.template()).map(this::info);
    }

    /** The simulated director counts the simulated VMs already. */
    @Override
    public VdcInfo withUsage(VdcInfo vdc) {
        return vdc;
    }

    private VappInfo info(SimVapp vapp) {
        return new VappInfo(vapp.id().toString(), vapp.vdcId().toString(), vapp.name(),
                vms.findByVappIdOrderByName(vapp.id()).stream().map(vm -> vm.id().toString()).toList());
    }

    private UUID existingVdc(String vdcId) {
        return SimIds.parse(vdcId).filter(vdcs::existsById).orElseThrow(() -> VccProblemException.notFound("VDC", vdcId));
    }

    @Override
    public VmInfo createVm(String vdcId, VmSpec spec) {
        SimVdc vdc = SimIds.parse(vdcId).flatMap(vdcs::lockById)
                .orElseThrow(() -> VccProblemException.notFound("VDC", vdcId));
        if (vms.existsByVdcIdAndNameAndTemplateFalse(vdc.id(), spec.name())) {
            throw new VccProblemException(ProblemType.DUPLICATE, "VDC " + vdc.name() + " already has a VM named " + spec.name());
        }
        quota.check(vdc, "VM " + spec.name(), spec.cpus(), spec.memoryMb(), spec.diskGb());
        String networkName = spec.network() == null || spec.network().isBlank() ? vdc.name() + "-net" : spec.network();
        SimNetwork network = networks.findByVdcIdAndName(vdc.id(), networkName).orElseThrow(() -> new VccProblemException(
                ProblemType.VALIDATION, "VDC " + vdc.name() + " has no network named " + networkName));
        cloud.work();

        String vappName = spec.vapp() == null || spec.vapp().isBlank() ? spec.name() : spec.vapp();
        SimVapp vapp = spec.vapp() == null || spec.vapp().isBlank() ? vapps.save(new SimVapp(vdc.id(), vappName))
                : vapps.findByVdcIdAndNameAndTemplateFalse(vdc.id(), vappName).orElseGet(() -> vapps.save(new SimVapp(vdc.id(), vappName)));
        UUID vmId = UUID.randomUUID();
        SimVm vm = new SimVm(vmId, vdc.id(), vapp.id(), spec.name(), spec.cpus(), spec.memoryMb(), clock.instant());
        long capacity = spec.diskGb() * SimCloud.GIB;
        vm.disks().add(new SimDisk(0, capacity, diskFiles.create(vmId, 0, capacity).toString(), null));
        vm.nics().add(new SimNic(0, network.name(), macs.free(), network.allocateAddress(), network.segmentVni()));
        // Fails, when armed, after the disk exists: the way a real hypervisor fails halfway through.
        faults.check("create-vm");
        return placement.save(vdc, List.of(vm), spec.antiAffinityGroup()).get(0).toInfo();
    }

    @Override
    public VmInfo power(String vmId, PowerState state) {
        SimVm vm = SimIds.parse(vmId).flatMap(vms::findById).orElseThrow(() -> VccProblemException.notFound("VM", vmId));
        refuseTemplate(vm);
        if (vm.state() != state) {
            faults.check(state == PowerState.POWERED_ON ? "power-on" : "power-off");
            cloud.work();
            vm.power(state);
            netns.ifAvailable(n -> n.follow(vm));
        }
        return vm.toInfo();
    }

    @Override
    public void deleteVm(String vmId) {
        SimVm vm = SimIds.parse(vmId).flatMap(vms::findById).orElseThrow(() -> VccProblemException.notFound("VM", vmId));
        refuseTemplate(vm);
        if (vm.state() == PowerState.POWERED_ON) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "VM " + vmId + " is powered on; power it off first");
        }
        faults.check("delete-vm");
        cloud.work("delete-vm");
        placement.delete(vm);
        netns.ifAvailable(n -> n.gone(vm.id()));
        if (vms.findByVappId(vm.vappId()).stream().allMatch(other -> other.id().equals(vm.id()))) {
            vapps.deleteById(vm.vappId());
        }
        diskFiles.deleteAfterCommit(vm.id());
    }

    @Override
    @Transactional(readOnly = true)
    public List<Path> diskImages(String vmId) {
        SimVm vm = SimIds.parse(vmId).flatMap(vms::findById).orElseThrow(() -> VccProblemException.notFound("VM", vmId));
        return vm.disks().stream().map(disk -> Path.of(disk.path())).toList();
    }

    @Override
    public VmInfo importVm(String vdcId, VmImport spec) {
        SimVdc vdc = imports.lockVdc(vdcId);
        imports.check(vdc, "VM " + spec.name(), List.of(spec), false);
        faults.check("import-vm");
        cloud.work();
        SimVapp vapp = vapps.save(new SimVapp(vdc.id(), spec.name()));
        return placement.save(vdc, List.of(imports.adopt(vdc, vapp, spec, false)), null).get(0).toInfo();
    }

    @Override
    public VappInfo importVapp(String vdcId, String name, List<VmImport> specs) {
        SimVdc vdc = imports.lockVdc(vdcId);
        imports.check(vdc, "vApp " + name, specs, false);
        faults.check("import-vm");
        cloud.work();
        SimVapp vapp = vapps.save(new SimVapp(vdc.id(), name));
        List<SimVm> made = specs.stream().map(spec -> imports.adopt(vdc, vapp, spec, false)).toList();
        List<String> ids = placement.save(vdc, made, null).stream().map(vm -> vm.id().toString()).toList();
        return new VappInfo(vapp.id().toString(), vdc.id().toString(), name, ids);
    }

    /**
     * Nothing to find: the simulated cloud's VMs are rows of the node's database, created in the caller's
     * transaction, so an import that did not commit left none (its disk files go at start, see SimDiskFiles).
     */
    @Override
    public void discardImport(String importKey) {
    }

    private static void refuseTemplate(SimVm vm) {
        if (vm.template()) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "VM " + vm.id() + " belongs to a catalog template; "
                    + "instantiate the template, or delete the template as a whole");
        }
    }
}
