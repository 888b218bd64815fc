package io.vcc.node.adapter.sim;

import io.vcc.api.node.CloudCapacity;
import io.vcc.api.node.NetworkInfo;
import io.vcc.api.node.VdcInfo;
import io.vcc.api.node.VdcSpec;
import io.vcc.api.node.VmInfo;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.adapter.CloudDirectorAdapter;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The simulated cloud director: organizations, VDCs with allocations and networks, in the node's database (its catalogs: {@link SimTemplates}). */
@Service
@Transactional
@ConditionalOnProperty(name = "vcc.adapters.cloud-director", havingValue = "sim", matchIfMissing = true)
class SimCloudDirector implements CloudDirectorAdapter {

    private final SimCloud cloud;
    private final SimVdcs vdcs;
    private final SimNetworks networks;
    private final SimVapps vapps;
    private final SimVms vms;
    private final SimFaults faults;
    private final SimQuota quota;
    private final Clock clock;

    SimCloudDirector(SimCloud cloud, SimVdcs vdcs, SimNetworks networks, SimVapps vapps, SimVms vms, SimFaults faults,
                     SimQuota quota, ObjectProvider<Clock> clock) {
        this.cloud = cloud;
        this.vdcs = vdcs;
        this.networks = networks;
        this.vapps = vapps;
        this.vms = vms;
        this.faults = faults;
        this.quota = quota;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    @Override
    public String name() {
        return "sim";
    }

    @Override
    @Transactional(readOnly = true)
    public List<String> organizations() {
        return vdcs.organizations();
    }

    @Override
    @Transactional(readOnly = true)
    public List<VdcInfo> vdcs(String organization) {
        List<SimVdc> found = organization == null ? vdcs.findAllByOrderByOrganizationAscNameAsc()
                : vdcs.findByOrganizationOrderByName(organization);
        return found.stream().map(vdc -> vdc.toInfo(usage(vdc.id()))).toList();
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<VdcInfo> vdc(String vdcId) {
        return SimIds.parse(vdcId).flatMap(vdcs::findById).map(vdc -> vdc.toInfo(usage(vdc.id())));
    }

    @Override
    public VdcInfo createVdc(VdcSpec spec) {
        faults.check("create-vdc");
        if (vdcs.existsByOrganizationAndName(spec.organization(), spec.name())) {
            throw new VccProblemException(ProblemType.DUPLICATE,
                    "Organization " + spec.organization() + " already has a VDC named " + spec.name());
        }
        CloudCapacity capacity = capacity();
        if (capacity.cpuAllocated() + spec.cpuQuota() > capacity.cpuTotal()
                || capacity.memoryMbAllocated() + spec.memoryMbQuota() > capacity.memoryMbTotal()
                || capacity.storageGbAllocated() + spec.storageGbQuota() > capacity.storageGbTotal()) {
            throw new VccProblemException(ProblemType.CAPACITY_EXHAUSTED, "The cloud cannot allocate "
                    + spec.cpuQuota() + " CPUs, " + spec.memoryMbQuota() + " MB and " + spec.storageGbQuota()
                    + " GB more; free: " + (capacity.cpuTotal() - capacity.cpuAllocated()) + " CPUs, "
                    + (capacity.memoryMbTotal() - capacity.memoryMbAllocated()) + " MB, "
                    + (capacity.storageGbTotal() - capacity.storageGbAllocated()) + " GB");
        }
        cloud.work();
        SimVdc vdc = vdcs.save(new SimVdc(spec.organization(), spec.name(), spec.cpuQuota(), spec.memoryMbQuota(),
                spec.storageGbQuota(), clock.instant()));
        networks.save(new SimNetwork(vdc.id(), spec.name() + "-net", "192.168.100"));
        return vdc.toInfo(SimUsage.NONE);
    }

    @Override
    public void deleteVdc(String vdcId) {
        SimVdc vdc = SimIds.parse(vdcId).flatMap(vdcs::lockById)
                .orElseThrow(() -> VccProblemException.notFound("VDC", vdcId));
        if (vms.existsByVdcId(vdc.id())) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "VDC " + vdc.name() + " still has VMs or templates; delete them first");
        }
        faults.check("delete-vdc");
        cloud.work();
        vapps.deleteAll(vapps.findByVdcIdOrderByName(vdc.id()));
        networks.deleteByVdcId(vdc.id());
        vdcs.delete(vdc);
    }

    @Override
    @Transactional(readOnly = true)
    public List<NetworkInfo> networks(String vdcId) {
        return networks.findByVdcIdOrderByName(existing(vdcId)).stream().map(SimNetwork::toInfo).toList();
    }

    @Override
    @Transactional(readOnly = true)
    public List<VmInfo> vms(String vdcId) {
        return vms.findByVdcIdAndTemplateFalseOrderByName(existing(vdcId)).stream().map(SimVm::toInfo).toList();
    }

    @Override
    @Transactional(readOnly = true)
    public CloudCapacity capacity() {
        return new CloudCapacity(cloud.cpus(), cloud.memoryMb(), cloud.storageGb(), (int) vdcs.allocatedCpus(),
                vdcs.allocatedMemoryMb(), vdcs.allocatedStorageGb());
    }

    private SimUsage usage(UUID vdcId) {
        return quota.used(vdcId);
    }

    private UUID existing(String vdcId) {
        return SimIds.parse(vdcId).filter(vdcs::existsById).orElseThrow(() -> VccProblemException.notFound("VDC", vdcId));
    }
}
