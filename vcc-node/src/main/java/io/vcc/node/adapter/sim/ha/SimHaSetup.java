package io.vcc.node.adapter.sim.ha;

import io.vcc.api.ha.HaNic;
import io.vcc.api.ha.HaVmInfo;
import io.vcc.api.ha.HypervisorInfo;
import io.vcc.api.ha.HypervisorKind;
import io.vcc.api.ha.PhysicalSystemInfo;
import io.vcc.api.ha.SystemRole;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What only a simulation has: building its systems (a real cloud discovers them), killing a system or a customer
 * hypervisor (fault injection), repairing them, driving a hypervisor's load, and writing into a VM's disk as its
 * guest would.
 */
@Service
@Transactional
@ConditionalOnProperty(name = "vcc.adapters.hypervisor", havingValue = "sim", matchIfMissing = true)
public class SimHaSetup {

    private final SimPhysicalSystems systems;
    private final SimHaHypervisors hypervisors;
    private final SimHaVms vms;
    private final SimHaDisks disks;

    SimHaSetup(SimPhysicalSystems systems, SimHaHypervisors hypervisors, SimHaVms vms, SimHaDisks disks) {
        this.systems = systems;
        this.hypervisors = hypervisors;
        this.vms = vms;
        this.disks = disks;
    }

    /** A physical system with its hypervisor: a customer hypervisor, or (in a pool) a first-level one. */
    public HypervisorInfo addSystem(String name, SystemRole role, String pool, int hardwareGeneration, int cpus, long memoryMb) {
        if ((role == SystemRole.POOL) != (pool != null && !pool.isBlank())) {
            throw new VccProblemException(ProblemType.VALIDATION, "A pool system names its pool; a customer system none");
        }
        SimPhysicalSystem system = systems.save(new SimPhysicalSystem(name, role, pool, hardwareGeneration, cpus, memoryMb));
        HypervisorKind kind = role == SystemRole.POOL ? HypervisorKind.FIRST_LEVEL : HypervisorKind.CUSTOMER;
        return hypervisors.save(new SimHaHypervisor(name + "-hv", kind, system.id(), null, hardwareGeneration, cpus, memoryMb))
                .toInfo(system);
    }

    /** An inactive virtual hypervisor nested in a pool system's first-level hypervisor. */
    public HypervisorInfo addVirtualHypervisor(String name, String physicalSystemId, String mirrorOf, int hardwareGeneration,
                                               int cpus, long memoryMb) {
        SimPhysicalSystem system = system(physicalSystemId);
        if (system.role() != SystemRole.POOL) {
            throw new VccProblemException(ProblemType.VALIDATION, "Virtual hypervisors nest in pool systems only");
        }
        UUID mirror = mirrorOf == null ? null : SimHa.parse(mirrorOf).filter(hypervisors::existsById)
                .orElseThrow(() -> VccProblemException.notFound("Hypervisor", mirrorOf));
        return hypervisors.save(new SimHaHypervisor(name, HypervisorKind.VIRTUAL, system.id(), mirror, hardwareGeneration, cpus, memoryMb))
                .toInfo(system);
    }

    /** A running customer VM with one NIC and a sparse disk of {@code diskBytes}. */
    public HaVmInfo addVm(String tenant, String name, String hypervisorId, int cpus, long memoryMb, HaNic nic, long diskBytes) {
        SimHaHypervisor hypervisor = SimHa.parse(hypervisorId).flatMap(hypervisors::findById)
                .orElseThrow(() -> VccProblemException.notFound("Hypervisor", hypervisorId));
        SimHaVm vm = vms.save(new SimHaVm(tenant, name, hypervisor.id(), cpus, memoryMb, nic, diskBytes));
        disks.create(vm.id(), diskBytes);
        return vm.toInfo();
    }

    /** Kills a physical system (with all it runs) or a customer hypervisor alone: it stops answering. */
    public void kill(String id) {
        UUID uuid = SimHa.parse(id).orElseThrow(() -> VccProblemException.notFound("System or hypervisor", id));
        systems.findById(uuid).ifPresentOrElse(SimPhysicalSystem::fail, () -> hypervisors.findById(uuid)
                .orElseThrow(() -> VccProblemException.notFound("System or hypervisor", id)).fail());
    }

    /** Repairs a system (powering it on again) or a hypervisor. */
    public void repair(String id) {
        UUID uuid = SimHa.parse(id).orElseThrow(() -> VccProblemException.notFound("System or hypervisor", id));
        systems.findById(uuid).ifPresentOrElse(system -> {
            system.repair();
            hypervisors.findBySystemId(uuid).forEach(SimHaHypervisor::repair);
        }, () -> hypervisors.findById(uuid)
                .orElseThrow(() -> VccProblemException.notFound("System or hypervisor", id)).repair());
    }

    /** Sets a hypervisor's CPU load, as its guests would drive it (0 to 100). */
    public void load(String hypervisorId, int percent) {
        if (percent < 0 || percent > 100) {
            throw new VccProblemException(ProblemType.VALIDATION, "A load is 0 to 100 percent, not " + percent);
        }
        SimHa.parse(hypervisorId).flatMap(hypervisors::findById)
                .orElseThrow(() -> VccProblemException.notFound("Hypervisor", hypervisorId)).load(percent);
    }

    /** Writes into the VM's disk as its guest would. */
    public void writeDisk(String vmId, long offset, byte[] bytes) {
        disks.write(disks.disk(vm(vmId).id()), offset, bytes);
    }

    public byte[] readDisk(String vmId, long offset, int length) {
        return disks.read(disks.disk(vm(vmId).id()), offset, length);
    }

    public PhysicalSystemInfo systemOf(String hypervisorId) {
        SimHaHypervisor hypervisor = SimHa.parse(hypervisorId).flatMap(hypervisors::findById)
                .orElseThrow(() -> VccProblemException.notFound("Hypervisor", hypervisorId));
        return systems.findById(hypervisor.systemId()).orElseThrow().toInfo();
    }

    private SimHaVm vm(String id) {
        return SimHa.parse(id).flatMap(vms::findById).orElseThrow(() -> VccProblemException.notFound("VM", id));
    }

    private SimPhysicalSystem system(String id) {
        return SimHa.parse(id).flatMap(systems::findById).orElseThrow(() -> VccProblemException.notFound("Physical system", id));
    }
}
