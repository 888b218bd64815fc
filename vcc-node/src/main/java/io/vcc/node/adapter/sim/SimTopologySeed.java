package io.vcc.node.adapter.sim;

import io.vcc.api.problem.VccProblemException;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes the configured zones, pods and hosts into the node's database before the node serves a request
 * (see {@link SimTopologyProperties}), and places the VMs an older node made before there were hosts.
 */
@Component
class SimTopologySeed implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(SimTopologySeed.class);

    private final SimTopologyProperties properties;
    private final SimZones zones;
    private final SimPods pods;
    private final SimHosts hosts;
    private final SimVms vms;
    private final SimVdcs vdcs;
    private final SimPlacement placement;
    private final TransactionTemplate transaction;

    SimTopologySeed(SimTopologyProperties properties, SimZones zones, SimPods pods, SimHosts hosts, SimVms vms, SimVdcs vdcs,
                    SimPlacement placement, PlatformTransactionManager transactions) {
        this.properties = properties;
        this.zones = zones;
        this.pods = pods;
        this.hosts = hosts;
        this.vms = vms;
        this.vdcs = vdcs;
        this.placement = placement;
        this.transaction = new TransactionTemplate(transactions);
    }

    @Override
    public void afterSingletonsInstantiated() {
        transaction.executeWithoutResult(status -> seed());
        transaction.executeWithoutResult(status -> placeUnplaced());
    }

    private void seed() {
        Set<UUID> hostsOfVms = new HashSet<>();
        vms.hostLoads().forEach(row -> hostsOfVms.add((UUID) row[0]));
        for (SimTopologyProperties.Zone zoneSpec : properties.zones()) {
            SimZone zone = zones.findByName(zoneSpec.name()).orElseGet(() ->
                    zones.save(new SimZone(zoneSpec.name(), zoneSpec.vlanFirst(), zoneSpec.vlanLast())));
            zone.vlans(zoneSpec.vlanFirst(), zoneSpec.vlanLast());
            for (SimTopologyProperties.Pod podSpec : zoneSpec.pods()) {
                SimPod pod = pods.findByZoneIdAndName(zone.id(), podSpec.name()).orElseGet(() -> pods.save(new SimPod(zone.id(), podSpec.name())));
                Set<String> configured = new HashSet<>();
                for (int i = 1; i <= podSpec.hosts(); i++) {
                    String name = "host-" + i;
                    configured.add(name);
                    hosts.findByPodIdAndName(pod.id(), name).ifPresentOrElse(
                            host -> host.resize(podSpec.cpus(), podSpec.memoryMb(), podSpec.storageGb()),
                            () -> hosts.save(new SimHost(pod.id(), name, podSpec.cpus(), podSpec.memoryMb(), podSpec.storageGb())));
                }
                for (SimHost host : hosts.findByPodIdOrderByName(pod.id())) {
                    if (!configured.contains(host.name()) && !hostsOfVms.contains(host.id())) {
                        hosts.delete(host);
                    }
                }
            }
        }
    }

    private void placeUnplaced() {
        for (SimVm vm : vms.findByHostIdIsNullAndTemplateFalse()) {
            SimVdc vdc = vdcs.lockById(vm.vdcId()).orElseThrow();
            VccProblemException refused = placement.placeExisting(vdc, vm);
            if (refused != null) {
                log.warn("VM {} ({}) made before this cloud had hosts stays on none: {}", vm.name(), vm.id(), refused.getMessage());
            }
        }
    }
}
