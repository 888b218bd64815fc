package io.vcc.node.adapter.sim;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Where every VM of the simulated cloud is made and unmade (provision, import, transfer and stretch targets,
 * template instances and captures alike): a runnable VM is placed on a host of its VDC's zone that has room for
 * its CPUs, memory and disks, its organization takes a VLAN ID of the zone with its first VM there, and a usage
 * period opens for billing; deleting gives them back.
 *
 * <p>Policy: least loaded first. Each VM goes to the host whose most used resource (CPU, memory or storage, as a
 * share of the host's) is lowest once the VM is on it; ties go to the first host by pod and name. With an
 * anti-affinity group, no two VMs of the organization in that group share a host. A VDC without a zone yet
 * tries the zones by name and stays in the first that takes its VM.
 *
 * <p>Concurrency: placing into a zone, and freeing its VLANs, happen under the zone's row lock, and what a host
 * holds is counted from the committed VMs on it after the lock is taken. Two creations at once therefore see each
 * other's VMs and never over-commit a host, whichever VDCs they are in. Callers lock the VDC first (as every
 * creation path does), so the locks are always taken VDC, then zone.
 */
@Component
class SimPlacement {

    private final SimZones zones;
    private final SimPods pods;
    private final SimHosts hosts;
    private final SimAccountVlans vlans;
    private final SimUsagePeriods periods;
    private final SimVms vms;
    private final SimVdcs vdcs;
    private final Clock clock;

    SimPlacement(SimZones zones, SimPods pods, SimHosts hosts, SimAccountVlans vlans, SimUsagePeriods periods, SimVms vms,
                 SimVdcs vdcs, ObjectProvider<Clock> clock) {
        this.zones = zones;
        this.pods = pods;
        this.hosts = hosts;
        this.vlans = vlans;
        this.periods = periods;
        this.vms = vms;
        this.vdcs = vdcs;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /**
     * Places and saves new VMs of one (locked) VDC, all or none: refuses with {@code placement-failed} when a
     * VM finds no host with room, or {@code vlan-range-exhausted} when the organization needs a VLAN ID and its
     * zone has none left, before any of them is saved. A catalog template's VMs are saved on no host.
     */
    List<SimVm> save(SimVdc vdc, List<SimVm> created, String antiAffinityGroup) {
        List<SimVm> runnable = created.stream().filter(vm -> !vm.template()).toList();
        if (!runnable.isEmpty()) {
            place(vdc, runnable, antiAffinityGroup == null || antiAffinityGroup.isBlank() ? null : antiAffinityGroup);
        }
        Instant now = clock.instant();
        List<SimVm> saved = new ArrayList<>();
        for (SimVm vm : created) {
            saved.add(vms.save(vm));
            periods.save(new SimUsagePeriod(vdc.organization(), vm.id(), !vm.template(), vm.usage().storageGb(), now));
        }
        return saved;
    }

    /** Deletes a VM: its host's room and its usage period end with it, and its organization's VLAN with its last VM in the zone. */
    void delete(SimVm vm) {
        SimZone zone = vm.hostId() == null ? null : hosts.findById(vm.hostId()).flatMap(host -> pods.findById(host.podId()))
                .flatMap(pod -> zones.lockById(pod.zoneId())).orElse(null);
        vms.delete(vm);
        periods.findByVmIdAndEndedAtIsNull(vm.id()).ifPresent(period -> period.end(clock.instant()));
        if (zone != null) {
            vdcs.findById(vm.vdcId()).map(SimVdc::organization).ifPresent(organization -> {
                if (!vms.organizationHasVmsIn(zone.id(), organization)) {
                    vlans.deleteByZoneIdAndOrganization(zone.id(), organization);
                }
            });
        }
    }

    /**
     * Places a VM made before the cloud had hosts (an older node's database), as a new one would be; answers
     * the refusal, if any, and leaves the VM where it was then.
     */
    VccProblemException placeExisting(SimVdc vdc, SimVm vm) {
        try {
            place(vdc, List.of(vm), null);
        } catch (VccProblemException refused) {
            return refused;
        }
        if (periods.findByVmIdAndEndedAtIsNull(vm.id()).isEmpty()) {
            periods.save(new SimUsagePeriod(vdc.organization(), vm.id(), true, vm.usage().storageGb(), vm.createdAt()));
        }
        return null;
    }

    private void place(SimVdc vdc, List<SimVm> runnable, String group) {
        List<SimZone> candidates = vdc.zoneId() != null ? zones.findById(vdc.zoneId()).stream().toList() : zones.findAllByOrderByName();
        if (candidates.isEmpty()) {
            throw new VccProblemException(ProblemType.PLACEMENT_FAILED, "Not possible to start the VM "
                    + runnable.get(0).name() + ": the cloud has no zone with hosts");
        }
        List<VccProblemException> refusals = new ArrayList<>();
        for (SimZone candidate : candidates) {
            SimZone zone = zones.lockById(candidate.id()).orElseThrow();
            try {
                Map<SimVm, Host> chosen = choose(zone, vdc.organization(), runnable, group);
                takeVlan(zone, vdc.organization());
                chosen.forEach((vm, host) -> vm.placeOn(host.id, group));
                if (vdc.zoneId() == null) {
                    vdc.placeIn(zone.id());
                }
                return;
            } catch (VccProblemException refused) {
                refusals.add(refused);
            }
        }
        if (refusals.size() == 1) {
            throw refusals.get(0);
        }
        boolean onlyVlans = refusals.stream().allMatch(refused -> refused.type() == ProblemType.VLAN_RANGE_EXHAUSTED);
        throw new VccProblemException(onlyVlans ? ProblemType.VLAN_RANGE_EXHAUSTED : ProblemType.PLACEMENT_FAILED,
                refusals.stream().map(Throwable::getMessage).collect(Collectors.joining("; ")));
    }

    private Map<SimVm, Host> choose(SimZone zone, String organization, List<SimVm> runnable, String group) {
        List<Host> candidates = hostsOf(zone);
        Set<UUID> excluded = group == null ? new HashSet<>() : new HashSet<>(vms.hostsOfGroup(organization, group));
        Map<SimVm, Host> chosen = new LinkedHashMap<>();
        for (SimVm vm : runnable) {
            SimUsage need = vm.usage();
            Host best = candidates.stream().filter(host -> !excluded.contains(host.id) && host.fits(need))
                    .min(Comparator.comparingDouble(host -> host.loadWith(need))).orElse(null);
            if (best == null) {
                throw refusal(zone, organization, vm, need, group, candidates, excluded);
            }
            best.add(need);
            if (group != null) {
                excluded.add(best.id);
            }
            chosen.put(vm, best);
        }
        return chosen;
    }

    /** The zone's hosts by pod and name, with what is placed on them now (read after the zone's lock is held). */
    private List<Host> hostsOf(SimZone zone) {
        Map<UUID, Object[]> loads = new HashMap<>();
        for (Object[] row : vms.hostLoads()) {
            loads.put((UUID) row[0], row);
        }
        List<Host> found = new ArrayList<>();
        for (SimPod pod : pods.findByZoneIdOrderByName(zone.id())) {
            for (SimHost host : hosts.findByPodIdOrderByName(pod.id())) {
                Object[] load = loads.get(host.id());
                found.add(new Host(host, pod, load == null ? SimUsage.NONE : new SimUsage(((Number) load[2]).intValue(),
                        ((Number) load[3]).longValue(), ((Number) load[4]).longValue())));
            }
        }
        return found;
    }

    private void takeVlan(SimZone zone, String organization) {
        if (vlans.findByZoneIdAndOrganization(zone.id(), organization).isPresent()) {
            return;
        }
        Set<Integer> taken = vlans.findByZoneIdOrderByVlan(zone.id()).stream().map(SimAccountVlan::vlan).collect(Collectors.toSet());
        for (int vlan = zone.vlanFirst(); vlan <= zone.vlanLast(); vlan++) {
            if (!taken.contains(vlan)) {
                vlans.save(new SimAccountVlan(zone.id(), organization, vlan, clock.instant()));
                return;
            }
        }
        throw new VccProblemException(ProblemType.VLAN_RANGE_EXHAUSTED, "Not possible to start a VM for account " + organization
                + ": zone " + zone.name() + " has no free VLAN ID left in its range " + zone.vlanFirst() + "-" + zone.vlanLast()
                + " (" + taken.size() + " accounts hold one each, until their last VM there is deleted)");
    }

    private static VccProblemException refusal(SimZone zone, String organization, SimVm vm, SimUsage need, String group,
                                               List<Host> candidates, Set<UUID> excluded) {
        String what = "Not possible to start the VM " + vm.name() + " (" + need.cpus() + " CPUs, " + need.memoryMb() + " MB, "
                + need.storageGb() + " GB): ";
        if (candidates.isEmpty()) {
            return new VccProblemException(ProblemType.PLACEMENT_FAILED, what + "zone " + zone.name() + " has no hosts");
        }
        String most = candidates.stream().filter(host -> !excluded.contains(host.id))
                .min(Comparator.comparingDouble(host -> host.loadWith(SimUsage.NONE)))
                .map(host -> "; the least loaded is " + host.pod + "/" + host.name + " with " + (host.cpus - host.used.cpus())
                        + " CPUs, " + (host.memoryMb - host.used.memoryMb()) + " MB, " + (host.storageGb - host.used.storageGb())
                        + " GB free")
                .orElse("");
        String apart = group == null ? "" : " apart from the " + excluded.size() + " holding anti-affinity group " + group
                + " of " + organization;
        return new VccProblemException(ProblemType.PLACEMENT_FAILED, what + "no host of zone " + zone.name() + " has room for it"
                + apart + most);
    }

    /** A host as placement sees it: its capacity and what is on it, plus what this placement added. */
    private static final class Host {

        final UUID id;
        final String pod;
        final String name;
        final int cpus;
        final long memoryMb;
        final long storageGb;
        SimUsage used;

        Host(SimHost host, SimPod pod, SimUsage used) {
            this.id = host.id();
            this.pod = pod.name();
            this.name = host.name();
            this.cpus = host.cpus();
            this.memoryMb = host.memoryMb();
            this.storageGb = host.storageGb();
            this.used = used;
        }

        boolean fits(SimUsage need) {
            return used.cpus() + need.cpus() <= cpus && used.memoryMb() + need.memoryMb() <= memoryMb
                    && used.storageGb() + need.storageGb() <= storageGb;
        }

        /** The share of its most used resource once {@code need} is on it. */
        double loadWith(SimUsage need) {
            return Math.max(share(used.cpus() + need.cpus(), cpus), Math.max(share(used.memoryMb() + need.memoryMb(), memoryMb),
                    share(used.storageGb() + need.storageGb(), storageGb)));
        }

        void add(SimUsage need) {
            used = used.plus(need);
        }

        private static double share(long used, long capacity) {
            return capacity <= 0 ? 1 : (double) used / capacity;
        }
    }
}
