package io.vcc.node.adapter.sim;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.adapter.VmImport;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** Creating VMs from imported packages, for the hypervisor (VMs, vApps) and the catalog (templates) alike. */
@Component
class SimImports {

    private final SimVdcs vdcs;
    private final SimNetworks networks;
    private final SimVms vms;
    private final SimDiskFiles diskFiles;
    private final SimQuota quota;
    private final SimMacs macs;
    private final Clock clock;

    SimImports(SimVdcs vdcs, SimNetworks networks, SimVms vms, SimDiskFiles diskFiles, SimQuota quota, SimMacs macs,
               ObjectProvider<Clock> clock) {
        this.vdcs = vdcs;
        this.networks = networks;
        this.vms = vms;
        this.diskFiles = diskFiles;
        this.quota = quota;
        this.macs = macs;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    SimVdc lockVdc(String vdcId) {
        return SimIds.parse(vdcId).flatMap(vdcs::lockById).orElseThrow(() -> VccProblemException.notFound("VDC", vdcId));
    }

    /** Refuses imports whose VM names the VDC has (runnable ones; template VMs keep theirs) or that do not fit its quota. */
    void check(SimVdc vdc, String what, List<VmImport> specs, boolean template) {
        Set<String> names = new HashSet<>();
        for (VmImport spec : specs) {
            if (!names.add(spec.name()) || (!template && vms.existsByVdcIdAndNameAndTemplateFalse(vdc.id(), spec.name()))) {
                throw new VccProblemException(ProblemType.DUPLICATE, "VDC " + vdc.name() + " already has a VM named " + spec.name());
            }
        }
        long capacity = specs.stream().flatMap(spec -> spec.disks().stream()).mapToLong(VmImport.Disk::capacityBytes).sum();
        quota.check(vdc, what, template ? 0 : specs.stream().mapToInt(VmImport::cpus).sum(),
                template ? 0 : specs.stream().mapToLong(VmImport::memoryMb).sum(), (capacity + SimCloud.GIB - 1) / SimCloud.GIB);
    }

    /** A VM in {@code vapp} that takes the imported disk images over; a NIC keeps its MAC when asked and free. */
    SimVm adopt(SimVdc vdc, SimVapp vapp, VmImport spec, boolean template) {
        UUID vmId = UUID.randomUUID();
        SimVm vm = new SimVm(vmId, vdc.id(), vapp.id(), spec.name(), spec.cpus(), spec.memoryMb(), clock.instant());
        if (template) {
            vm.asTemplate();
        }
        for (VmImport.Disk disk : spec.disks()) {
            vm.disks().add(new SimDisk(disk.index(), disk.capacityBytes(), diskFiles.adopt(vmId, disk.index(), disk.image()).toString(),
                    disk.format()));
        }
        Set<String> taken = new HashSet<>();
        for (VmImport.Nic nic : spec.nics()) {
            SimNetwork network = networks.findByVdcIdAndName(vdc.id(), nic.network() == null ? "" : nic.network())
                    .or(() -> networks.findByVdcIdAndName(vdc.id(), vdc.name() + "-net"))
                    .orElseThrow(() -> new VccProblemException(ProblemType.VALIDATION, "VDC " + vdc.name() + " has no network for NIC " + nic.index()));
            String mac = nic.mac() != null && !vms.macInUse(nic.mac()) && taken.add(nic.mac()) ? nic.mac() : macs.free();
            vm.nics().add(new SimNic(nic.index(), network.name(), mac, template ? null : network.allocateAddress(),
                    template ? null : network.segmentVni()));
        }
        return vm;
    }
}
