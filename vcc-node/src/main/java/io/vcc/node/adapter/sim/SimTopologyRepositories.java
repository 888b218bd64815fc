package io.vcc.node.adapter.sim;

import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface SimZones extends JpaRepository<SimZone, UUID> {

    List<SimZone> findAllByOrderByName();

    Optional<SimZone> findByName(String name);

    /** The zone's row lock: whoever holds it is the only one placing VMs into the zone or freeing its VLANs. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select z from SimZone z where z.id = :id")
    Optional<SimZone> lockById(UUID id);
}

interface SimPods extends JpaRepository<SimPod, UUID> {

    List<SimPod> findByZoneIdOrderByName(UUID zoneId);

    Optional<SimPod> findByZoneIdAndName(UUID zoneId, String name);
}

interface SimHosts extends JpaRepository<SimHost, UUID> {

    List<SimHost> findByPodIdOrderByName(UUID podId);

    Optional<SimHost> findByPodIdAndName(UUID podId, String name);
}

interface SimAccountVlans extends JpaRepository<SimAccountVlan, UUID> {

    Optional<SimAccountVlan> findByZoneIdAndOrganization(UUID zoneId, String organization);

    List<SimAccountVlan> findByZoneIdOrderByVlan(UUID zoneId);

    void deleteByZoneIdAndOrganization(UUID zoneId, String organization);
}

interface SimUsagePeriods extends JpaRepository<SimUsagePeriod, UUID> {

    Optional<SimUsagePeriod> findByVmIdAndEndedAtIsNull(UUID vmId);

    /** Per organization, up to {@code now}: VM-hours, storage-GB-hours, VMs and storage held now. */
    @Query(value = """
            select organization,
                   coalesce(sum(extract(epoch from (coalesce(ended_at, :now) - started_at))) filter (where runnable), 0) / 3600.0 as vm_hours,
                   coalesce(sum(storage_gb * extract(epoch from (coalesce(ended_at, :now) - started_at))), 0) / 3600.0 as gb_hours,
                   count(*) filter (where runnable and ended_at is null) as vms,
                   coalesce(sum(storage_gb) filter (where ended_at is null), 0) as storage_gb
            from sim_usage_period
            where started_at <= :now
            group by organization
            order by organization
            """, nativeQuery = true)
    List<Object[]> totals(Instant now);
}
