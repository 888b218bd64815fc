package io.vcc.node.adapter.sim;

import io.vcc.api.node.EdgeRule;
import io.vcc.api.node.NicAnswer;
import io.vcc.api.node.NicPlacement;
import io.vcc.api.node.PowerState;
import io.vcc.api.node.SegmentNetworkInfo;
import io.vcc.api.node.SegmentNetworkSpec;
import io.vcc.api.node.SegmentPort;
import io.vcc.api.node.VmInfo;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.adapter.TenantSegments;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * NICs on tenant segments in the simulated cloud: a VDC network row carries the segment's VNI and the edge
 * gateway's rules, a NIC row the segment it is attached to. Attaching is recorded (and shows in {@link #ports});
 * a NIC is attached when the VM is placed on, created on or imported onto a backed network.
 */
@Service
@Transactional
@EnableConfigurationProperties(SimSegmentSettings.class)
@ConditionalOnProperty(name = "vcc.adapters.hypervisor", havingValue = "sim", matchIfMissing = true)
class SimSegments implements TenantSegments {

    private static final JsonMapper JSON = JsonMapper.shared();

    private final SimVdcs vdcs;
    private final SimNetworks networks;
    private final SimVms vms;
    private final SimSegmentSettings settings;
    private final org.springframework.beans.factory.ObjectProvider<SimNetns> netns;
    private final SimFaults faults;

    SimSegments(SimVdcs vdcs, SimNetworks networks, SimVms vms, SimSegmentSettings settings,
                org.springframework.beans.factory.ObjectProvider<SimNetns> netns, SimFaults faults) {
        this.netns = netns;
        this.faults = faults;
        this.vdcs = vdcs;
        this.networks = networks;
        this.vms = vms;
        this.settings = settings;
    }

    /** A node that starts gives its powered-on VMs their namespaces again (they went with the previous process). */
    @org.springframework.context.event.EventListener(org.springframework.boot.context.event.ApplicationReadyEvent.class)
    public void restoreNamespaces() {
        SimNetns namespaces = netns.getIfAvailable();
        if (namespaces != null) {
            vms.findAll().stream().filter(vm -> vm.state() == PowerState.POWERED_ON && !vm.template()).forEach(namespaces::follow);
        }
    }

    @Override
    public List<String> vteps() {
        SimNetns namespaces = netns.getIfAvailable();
        return namespaces != null ? List.of(namespaces.vtep()) : settings.vteps();
    }

    @Override
    @Transactional(readOnly = true)
    public List<SegmentPort> ports() {
        List<SegmentPort> ports = new ArrayList<>();
        for (SimVm vm : vms.findAll()) {
            for (SimNic nic : vm.nics()) {
                if (nic.segmentVni() != null) {
                    ports.add(new SegmentPort(nic.segmentVni(), vm.id().toString(), vm.vdcId().toString(), nic.index(), nic.mac(),
                            nic.ip(), vm.state() == PowerState.POWERED_ON));
                }
            }
        }
        return ports;
    }

    @Override
    @Transactional(readOnly = true)
    public List<SegmentNetworkInfo> networks(String vdcId) {
        return networks.findByVdcIdOrderByName(vdc(vdcId).id()).stream().filter(n -> n.segmentVni() != null).map(SimSegments::info).toList();
    }

    @Override
    public SegmentNetworkInfo putNetwork(String vdcId, String name, SegmentNetworkSpec spec) {
        SimVdc vdc = vdcs.lockById(vdc(vdcId).id()).orElseThrow();
        String prefix = spec.cidr().substring(0, spec.cidr().lastIndexOf('.'));
        if (!spec.gateway().startsWith(prefix + ".")) {
            throw new VccProblemException(ProblemType.VALIDATION, "Gateway " + spec.gateway() + " is not in " + spec.cidr());
        }
        SimNetwork network = networks.findByVdcIdAndName(vdc.id(), name).orElseGet(() -> networks.save(new SimNetwork(vdc.id(), name, prefix)));
        network.routeOnSegment(prefix, spec.gateway(), spec.vni(), spec.mtu(), JSON.writeValueAsString(spec.rules()));
        for (SimVm vm : vms.findByVdcIdAndTemplateFalseOrderByName(vdc.id())) {
            List<SimNic> nics = vm.nics();
            for (int i = 0; i < nics.size(); i++) {
                if (nics.get(i).network().equals(name) && !Objects.equals(nics.get(i).segmentVni(), spec.vni())) {
                    nics.set(i, nics.get(i).withSegment(spec.vni()));
                }
            }
        }
        return info(network);
    }

    @Override
    public void removeNetwork(String vdcId, String name) {
        UUID vdc = vdc(vdcId).id();
        networks.findByVdcIdAndName(vdc, name).filter(n -> n.segmentVni() != null).ifPresent(network -> {
            boolean used = vms.findByVdcIdOrderByName(vdc).stream().anyMatch(vm -> vm.nics().stream().anyMatch(n -> n.network().equals(name)));
            if (used) {
                throw new VccProblemException(ProblemType.INVALID_STATE, "Network " + name + " still has VMs on it");
            }
            networks.delete(network);
        });
    }

    @Override
    public VmInfo placeNic(String vmId, int index, NicPlacement placement) {
        SimVm vm = vm(vmId);
        int at = position(vm, index);
        SimNetwork network = networks.findByVdcIdAndName(vm.vdcId(), placement.network()).orElseThrow(() -> new VccProblemException(
                ProblemType.VALIDATION, "The VM's VDC has no network named " + placement.network()));
        String mac = placement.mac().toLowerCase();
        if (!placement.ip().startsWith(network.prefix() + ".") || placement.ip().equals(network.gateway())) {
            throw new VccProblemException(ProblemType.VALIDATION, "Address " + placement.ip() + " is not a host address of network "
                    + network.name() + " (" + network.prefix() + ".0/24, gateway " + network.gateway() + ")");
        }
        SimNic current = vm.nics().get(at);
        if (!current.mac().equalsIgnoreCase(mac) && vms.macInUse(mac)) {
            throw new VccProblemException(ProblemType.DUPLICATE, "MAC " + mac + " is in use in this cloud");
        }
        boolean ipTaken = vms.findByVdcIdAndTemplateFalseOrderByName(vm.vdcId()).stream()
                .flatMap(other -> other.nics().stream().filter(n -> !(other.id().equals(vm.id()) && n.index() == index)))
                .anyMatch(n -> n.network().equals(network.name()) && placement.ip().equals(n.ip()));
        if (ipTaken) {
            throw new VccProblemException(ProblemType.DUPLICATE, "Address " + placement.ip() + " is in use on network " + network.name());
        }
        vm.nics().set(at, new SimNic(index, network.name(), mac, placement.ip(), network.segmentVni()));
        vms.flush();
        netns.ifAvailable(n -> n.follow(vm));
        return vm.toInfo();
    }

    /**
     * With namespaces, a TCP connect to the NIC's IP from a probe on the segment's bridge (the VM's kernel answers with
     * an accept or a refusal; silence is no answer). Without, the simulation's record: powered on and on the segment.
     * A fault armed for {@code segments.answer} makes the VM not answer (a guest that never comes up).
     */
    @Override
    @Transactional(readOnly = true)
    public NicAnswer answer(String vmId, int index) {
        SimVm vm = vm(vmId);
        SimNic nic = vm.nics().get(position(vm, index));
        try {
            faults.check("segments.answer");
        } catch (VccProblemException e) {
            return new NicAnswer(false, "a fault armed for segments.answer");
        }
        if (nic.segmentVni() == null || nic.ip() == null) {
            return new NicAnswer(false, "the NIC is on no segment");
        }
        SimNetns namespaces = netns.getIfAvailable();
        if (namespaces == null) {
            return new NicAnswer(vm.state() == PowerState.POWERED_ON, "the simulation's power state");
        }
        String gateway = networks.findByVdcIdAndName(vm.vdcId(), nic.network()).map(SimNetwork::gateway).orElseThrow(() ->
                new VccProblemException(ProblemType.INVALID_STATE, "The VM's VDC has no network named " + nic.network()));
        return new NicAnswer(namespaces.answers(nic.segmentVni(), nic.ip(), gateway), "a TCP connect from the segment");
    }

    @Override
    public void attachNic(String vmId, int index, int vni) {
        SimVm vm = vm(vmId);
        int at = position(vm, index);
        vm.nics().set(at, vm.nics().get(at).withSegment(vni));
        netns.ifAvailable(n -> n.follow(vm));
    }

    @Override
    public void detachNic(String vmId, int index) {
        SimVm vm = vm(vmId);
        int at = position(vm, index);
        vm.nics().set(at, vm.nics().get(at).withSegment(null));
        netns.ifAvailable(n -> n.follow(vm));
    }

    private SimVm vm(String vmId) {
        SimVm vm = SimIds.parse(vmId).flatMap(vms::findById).orElseThrow(() -> VccProblemException.notFound("VM", vmId));
        if (vm.template()) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "VM " + vmId + " belongs to a catalog template");
        }
        return vm;
    }

    private static int position(SimVm vm, int index) {
        for (int i = 0; i < vm.nics().size(); i++) {
            if (vm.nics().get(i).index() == index) {
                return i;
            }
        }
        throw VccProblemException.notFound("NIC", index);
    }

    private SimVdc vdc(String vdcId) {
        return SimIds.parse(vdcId).flatMap(vdcs::findById).orElseThrow(() -> VccProblemException.notFound("VDC", vdcId));
    }

    private static SegmentNetworkInfo info(SimNetwork network) {
        List<EdgeRule> rules = network.edgeRules() == null ? List.of()
                : Arrays.asList(JSON.readValue(network.edgeRules(), EdgeRule[].class));
        return new SegmentNetworkInfo(network.vdcId().toString(), network.name(), network.prefix() + ".0/24", network.gateway(),
                network.segmentVni(), rules, network.mtu());
    }
}
