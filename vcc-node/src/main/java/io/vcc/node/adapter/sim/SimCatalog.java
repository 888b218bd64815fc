package io.vcc.node.adapter.sim;

import io.vcc.api.node.InstantiateRequest;
import io.vcc.api.node.PowerState;
import io.vcc.api.node.TemplateInfo;
import io.vcc.api.node.TemplateSpec;
import io.vcc.api.node.VappInfo;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.adapter.VmImport;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The simulated catalog: a template is a vApp marked as such, its VMs copies (disk files included) of a
 * vApp's VMs that cannot run and count only their storage. Instantiating copies them back into a new vApp.
 */
@Component
@Transactional
class SimCatalog {

    private final SimCloud cloud;
    private final SimNetworks networks;
    private final SimVapps vapps;
    private final SimVms vms;
    private final SimDiskFiles diskFiles;
    private final SimQuota quota;
    private final SimMacs macs;
    private final SimFaults faults;
    private final SimImports imports;
    private final SimPlacement placement;
    private final Clock clock;

    SimCatalog(SimCloud cloud, SimNetworks networks, SimVapps vapps, SimVms vms, SimDiskFiles diskFiles,
               SimQuota quota, SimMacs macs, SimFaults faults, SimImports imports, SimPlacement placement,
               ObjectProvider<Clock> clock) {
        this.cloud = cloud;
        this.networks = networks;
        this.vapps = vapps;
        this.vms = vms;
        this.diskFiles = diskFiles;
        this.quota = quota;
        this.macs = macs;
        this.faults = faults;
        this.imports = imports;
        this.placement = placement;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    @Transactional(readOnly = true)
    List<TemplateInfo> templates(UUID vdcId) {
        return vapps.findByVdcIdAndTemplateOrderByName(vdcId, true).stream().map(this::info).toList();
    }

    @Transactional(readOnly = true)
    Optional<TemplateInfo> template(String templateId) {
        return findTemplate(templateId).map(this::info);
    }

    TemplateInfo capture(String vdcId, TemplateSpec spec) {
        SimVdc vdc = imports.lockVdc(vdcId);
        SimVapp source = SimIds.parse(spec.vappId()).flatMap(vapps::findById)
                .filter(vapp -> vapp.vdcId().equals(vdc.id()) && !vapp.template())
                .orElseThrow(() -> VccProblemException.notFound("vApp", spec.vappId()));
        if (vapps.existsByVdcIdAndNameAndTemplateTrue(vdc.id(), spec.name())) {
            throw new VccProblemException(ProblemType.DUPLICATE, "The catalog of VDC " + vdc.name() + " already has a template named " + spec.name());
        }
        List<SimVm> members = vms.findByVappIdOrderByName(source.id());
        if (members.stream().anyMatch(vm -> vm.state() == PowerState.POWERED_ON)) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "vApp " + source.name() + " has running VMs; power them off to capture it");
        }
        quota.check(vdc, "Template " + spec.name(), 0, 0, storageGb(members));
        faults.check("capture-template");
        cloud.work();
        SimVapp template = vapps.save(new SimVapp(vdc.id(), spec.name(), true));
        placement.save(vdc, members.stream().map(vm -> copy(vm, vdc, template, vm.name(), true)).toList(), null);
        return info(template);
    }

    VappInfo instantiate(String templateId, InstantiateRequest request) {
        SimVapp template = findTemplate(templateId).orElseThrow(() -> VccProblemException.notFound("Template", templateId));
        SimVdc vdc = imports.lockVdc(template.vdcId().toString());
        List<SimVm> members = vms.findByVappIdOrderByName(template.id());
        List<String> names = members.stream().map(vm -> members.size() == 1 ? request.name() : request.name() + "-" + vm.name()).toList();
        for (String name : names) {
            if (vms.existsByVdcIdAndNameAndTemplateFalse(vdc.id(), name)) {
                throw new VccProblemException(ProblemType.DUPLICATE, "VDC " + vdc.name() + " already has a VM named " + name);
            }
        }
        quota.check(vdc, "vApp " + request.name(), members.stream().mapToInt(SimVm::cpus).sum(),
                members.stream().mapToLong(SimVm::memoryMb).sum(), storageGb(members));
        faults.check("instantiate-template");
        cloud.work();
        SimVapp vapp = vapps.save(new SimVapp(vdc.id(), request.name()));
        List<SimVm> copies = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            copies.add(copy(members.get(i), vdc, vapp, names.get(i), false));
        }
        List<String> ids = placement.save(vdc, copies, null).stream().map(vm -> vm.id().toString()).toList();
        return new VappInfo(vapp.id().toString(), vdc.id().toString(), vapp.name(), ids);
    }

    TemplateInfo importTemplate(String vdcId, String name, List<VmImport> specs) {
        SimVdc vdc = imports.lockVdc(vdcId);
        if (vapps.existsByVdcIdAndNameAndTemplateTrue(vdc.id(), name)) {
            throw new VccProblemException(ProblemType.DUPLICATE, "The catalog of VDC " + vdc.name() + " already has a template named " + name);
        }
        imports.check(vdc, "Template " + name, specs, true);
        faults.check("import-template");
        cloud.work();
        SimVapp template = vapps.save(new SimVapp(vdc.id(), name, true));
        placement.save(vdc, specs.stream().map(spec -> imports.adopt(vdc, template, spec, true)).toList(), null);
        return info(template);
    }

    void delete(String templateId) {
        SimVapp template = findTemplate(templateId).orElseThrow(() -> VccProblemException.notFound("Template", templateId));
        faults.check("delete-template");
        cloud.work();
        for (SimVm vm : vms.findByVappIdOrderByName(template.id())) {
            placement.delete(vm);
            diskFiles.deleteAfterCommit(vm.id());
        }
        vapps.delete(template);
    }

    /** A copy of {@code vm} in {@code vapp}: its hardware, copies of its disk files, NICs on the same networks with new MACs. */
    private SimVm copy(SimVm vm, SimVdc vdc, SimVapp vapp, String name, boolean template) {
        UUID id = UUID.randomUUID();
        SimVm copy = new SimVm(id, vdc.id(), vapp.id(), name, vm.cpus(), vm.memoryMb(), clock.instant());
        if (template) {
            copy.asTemplate();
        }
        for (SimDisk disk : vm.disks()) {
            copy.disks().add(new SimDisk(disk.index(), disk.capacityBytes(), diskFiles.copy(id, disk.index(), Path.of(disk.path())).toString(),
                    disk.format()));
        }
        for (SimNic nic : vm.nics()) {
            SimNetwork network = networks.findByVdcIdAndName(vdc.id(), nic.network())
                    .or(() -> networks.findByVdcIdAndName(vdc.id(), vdc.name() + "-net"))
                    .orElseThrow(() -> new VccProblemException(ProblemType.VALIDATION, "VDC " + vdc.name() + " has no network for NIC " + nic.index()));
            copy.nics().add(new SimNic(nic.index(), network.name(), macs.free(), template ? null : network.allocateAddress(),
                    template ? null : network.segmentVni()));
        }
        return copy;
    }

    private TemplateInfo info(SimVapp template) {
        return new TemplateInfo(template.id().toString(), template.vdcId().toString(), template.name(),
                vms.findByVappIdOrderByName(template.id()).stream().map(SimVm::toInfo).toList());
    }

    private Optional<SimVapp> findTemplate(String templateId) {
        return SimIds.parse(templateId).flatMap(vapps::findById).filter(SimVapp::template);
    }

    private static long storageGb(List<SimVm> members) {
        return members.stream().mapToLong(vm -> vm.usage().storageGb()).sum();
    }
}
