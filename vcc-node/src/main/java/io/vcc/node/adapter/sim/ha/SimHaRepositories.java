package io.vcc.node.adapter.sim.ha;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface SimPhysicalSystems extends JpaRepository<SimPhysicalSystem, UUID> {

    List<SimPhysicalSystem> findAllByOrderByName();
}

interface SimHaHypervisors extends JpaRepository<SimHaHypervisor, UUID> {

    List<SimHaHypervisor> findAllByOrderByName();

    List<SimHaHypervisor> findBySystemId(UUID systemId);
}

interface SimHaVms extends JpaRepository<SimHaVm, UUID> {

    List<SimHaVm> findAllByOrderByTenantAscNameAsc();

    List<SimHaVm> findByHypervisorId(UUID hypervisorId);

    boolean existsByHypervisorId(UUID hypervisorId);
}
