package io.vcc.node.adapter.sim;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface SimVdcs extends JpaRepository<SimVdc, UUID> {

    List<SimVdc> findByOrganizationOrderByName(String organization);

    List<SimVdc> findAllByOrderByOrganizationAscNameAsc();

    boolean existsByOrganizationAndName(String organization, String name);

    /** Locks the VDC row so concurrent provisioning in one VDC cannot overrun its quota together. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select v from SimVdc v where v.id = :id")
    Optional<SimVdc> lockById(UUID id);

    @Query("select distinct v.organization from SimVdc v order by v.organization")
    List<String> organizations();

    @Query("select coalesce(sum(v.cpuQuota), 0) from SimVdc v")
    long allocatedCpus();

    @Query("select coalesce(sum(v.memoryMbQuota), 0) from SimVdc v")
    long allocatedMemoryMb();

    @Query("select coalesce(sum(v.storageGbQuota), 0) from SimVdc v")
    long allocatedStorageGb();
}

interface SimNetworks extends JpaRepository<SimNetwork, UUID> {

    List<SimNetwork> findByVdcIdOrderByName(UUID vdcId);

    Optional<SimNetwork> findByVdcIdAndName(UUID vdcId, String name);

    void deleteByVdcId(UUID vdcId);
}

interface SimVapps extends JpaRepository<SimVapp, UUID> {

    List<SimVapp> findByVdcIdOrderByName(UUID vdcId);

    List<SimVapp> findByVdcIdAndTemplateOrderByName(UUID vdcId, boolean template);

    Optional<SimVapp> findByVdcIdAndNameAndTemplateFalse(UUID vdcId, String name);

    boolean existsByVdcIdAndNameAndTemplateTrue(UUID vdcId, String name);
}

interface SimVms extends JpaRepository<SimVm, UUID> {

    /** VMs and templates' VMs alike, for what the VDC holds. */
    List<SimVm> findByVdcIdOrderByName(UUID vdcId);

    List<SimVm> findByVdcIdAndTemplateFalseOrderByName(UUID vdcId);

    List<SimVm> findByVappIdOrderByName(UUID vappId);

    List<SimVm> findByVappId(UUID vappId);

    boolean existsByVdcIdAndNameAndTemplateFalse(UUID vdcId, String name);

    boolean existsByVdcId(UUID vdcId);

    @Query(value = "select count(*) > 0 from sim_vm_nic where mac = :mac", nativeQuery = true)
    boolean macInUse(String mac);

    @Query("select v.id from SimVm v")
    Set<UUID> ids();

    /** Per host with VMs: [host id, VMs, CPUs, memory MB, storage GB] of the VMs placed on it. */
    @Query(value = """
            select v.host_id, count(*), sum(v.cpus), sum(v.memory_mb),
                   sum(coalesce((select ceil(sum(d.capacity_bytes) / 1073741824.0) from sim_vm_disk d where d.vm_id = v.id), 0))
            from sim_vm v where v.host_id is not null group by v.host_id
            """, nativeQuery = true)
    List<Object[]> hostLoads();

    /** The hosts that hold a VM of the organization in the anti-affinity group. */
    @Query("select distinct v.hostId from SimVm v, SimVdc d where v.vdcId = d.id and d.organization = :organization"
            + " and v.antiAffinityGroup = :group and v.hostId is not null")
    Set<UUID> hostsOfGroup(String organization, String group);

    /** Whether the organization has a VM on a host of the zone. */
    @Query("select count(v) > 0 from SimVm v, SimVdc d, SimHost h, SimPod p where v.vdcId = d.id and v.hostId = h.id"
            + " and h.podId = p.id and p.zoneId = :zoneId and d.organization = :organization")
    boolean organizationHasVmsIn(UUID zoneId, String organization);

    List<SimVm> findByHostIdIsNullAndTemplateFalse();
}
