package io.vcc.node.adapter.sim;

import io.vcc.api.node.HostInfo;
import io.vcc.api.node.TenantUsage;
import io.vcc.api.node.ZoneInfo;
import io.vcc.node.adapter.CloudTopology;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The simulated cloud's zones, hosts and usage, as its director reports them. */
@Service
@Transactional(readOnly = true)
@ConditionalOnProperty(name = "vcc.adapters.cloud-director", havingValue = "sim", matchIfMissing = true)
class SimTopology implements CloudTopology {

    private final SimZones zones;
    private final SimPods pods;
    private final SimHosts hosts;
    private final SimAccountVlans vlans;
    private final SimVms vms;
    private final SimUsagePeriods periods;
    private final Clock clock;

    SimTopology(SimZones zones, SimPods pods, SimHosts hosts, SimAccountVlans vlans, SimVms vms, SimUsagePeriods periods,
                ObjectProvider<Clock> clock) {
        this.zones = zones;
        this.pods = pods;
        this.hosts = hosts;
        this.vlans = vlans;
        this.vms = vms;
        this.periods = periods;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    @Override
    public List<ZoneInfo> zones() {
        return zones.findAllByOrderByName().stream().map(zone -> new ZoneInfo(zone.name(), zone.vlanFirst(), zone.vlanLast(),
                vlans.findByZoneIdOrderByVlan(zone.id()).stream()
                        .map(vlan -> new ZoneInfo.AccountVlan(vlan.organization(), vlan.vlan())).toList())).toList();
    }

    @Override
    public List<HostInfo> hosts() {
        Map<UUID, Object[]> loads = new HashMap<>();
        for (Object[] row : vms.hostLoads()) {
            loads.put((UUID) row[0], row);
        }
        List<HostInfo> found = new ArrayList<>();
        for (SimZone zone : zones.findAllByOrderByName()) {
            for (SimPod pod : pods.findByZoneIdOrderByName(zone.id())) {
                for (SimHost host : hosts.findByPodIdOrderByName(pod.id())) {
                    Object[] load = loads.get(host.id());
                    found.add(new HostInfo(zone.name(), pod.name(), host.name(), host.cpus(), host.memoryMb(), host.storageGb(),
                            load == null ? 0 : ((Number) load[2]).intValue(), load == null ? 0 : ((Number) load[3]).longValue(),
                            load == null ? 0 : ((Number) load[4]).longValue(), load == null ? 0 : ((Number) load[1]).intValue()));
                }
            }
        }
        return found;
    }

    @Override
    public List<TenantUsage> usage() {
        Instant now = clock.instant();
        return periods.totals(now).stream().map(row -> new TenantUsage((String) row[0], ((Number) row[1]).doubleValue(),
                ((Number) row[2]).doubleValue(), ((Number) row[3]).intValue(), ((Number) row[4]).longValue(), now)).toList();
    }
}
