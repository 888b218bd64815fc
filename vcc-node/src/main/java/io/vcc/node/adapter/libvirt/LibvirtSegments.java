package io.vcc.node.adapter.libvirt;

import io.vcc.api.node.NicAnswer;
import io.vcc.api.node.NicPlacement;
import io.vcc.api.node.SegmentNetworkInfo;
import io.vcc.api.node.SegmentNetworkSpec;
import io.vcc.api.node.SegmentPort;
import io.vcc.api.node.VmInfo;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.node.adapter.TenantSegments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * VM NICs on tenant segments for libvirt domains. A NIC on a segment is a bridge interface on the segment's bridge
 * ({@link SegmentBridges}: made with the first NIC, removed with the last), its VDC network and address kept in the
 * domain's metadata, so libvirt stays the store of VMs; a restarted node makes the bridges of its domains' NICs again.
 * A VDC's networks on segments (the director knows nothing of segments) are a JSON file each under
 * {@code directory}/{vdc}/{name}.json, written whole and renamed into place.
 */
final class LibvirtSegments implements TenantSegments {

    private static final JsonMapper JSON = JsonMapper.shared();

    private final LibvirtHypervisor hypervisor;
    private final SegmentBridges bridges;
    private final Path directory;

    LibvirtSegments(LibvirtHypervisor hypervisor, SegmentBridges bridges, Path directory) {
        this.hypervisor = hypervisor;
        this.bridges = bridges;
        this.directory = directory;
        hypervisor.onUndefined(vm -> vm.nics().stream().filter(nic -> nic.vni() != null)
                .forEach(nic -> bridges.detach(nic.vni(), key(vm.id().toString(), vm.nics().indexOf(nic)))));
        for (LibvirtDomains.Found found : hypervisor.domains()) {
            if (found.definition().ours() && !found.definition().owner().template()) {
                List<DomainDefinition.Nic> nics = found.definition().nics();
                for (int i = 0; i < nics.size(); i++) {
                    if (nics.get(i).vni() != null) {
                        bridges.attach(nics.get(i).vni(), key(found.definition().id().toString(), i));
                    }
                }
            }
        }
    }

    @Override
    public List<String> vteps() {
        return List.of(bridges.vtep());
    }

    @Override
    public List<SegmentPort> ports() {
        List<SegmentPort> ports = new ArrayList<>();
        for (LibvirtDomains.Found found : hypervisor.domains()) {
            DomainDefinition vm = found.definition();
            if (!vm.ours() || vm.owner().template()) {
                continue;
            }
            for (int i = 0; i < vm.nics().size(); i++) {
                DomainDefinition.Nic nic = vm.nics().get(i);
                if (nic.vni() != null) {
                    ports.add(new SegmentPort(nic.vni(), vm.id().toString(), vm.owner().vdcId(), i, nic.mac(), nic.ip(), found.running()));
                }
            }
        }
        return ports;
    }

    @Override
    public List<SegmentNetworkInfo> networks(String vdcId) {
        Path vdc = vdcDirectory(vdcId);
        if (!Files.isDirectory(vdc)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(vdc)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".json")).sorted()
                    .map(file -> read(file)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized SegmentNetworkInfo putNetwork(String vdcId, String name, SegmentNetworkSpec spec) {
        String prefix = spec.cidr().substring(0, spec.cidr().lastIndexOf('.'));
        if (!spec.gateway().startsWith(prefix + ".")) {
            throw new VccProblemException(ProblemType.VALIDATION, "Gateway " + spec.gateway() + " is not in " + spec.cidr());
        }
        SegmentNetworkInfo network = new SegmentNetworkInfo(vdcId, name, spec.cidr(), spec.gateway(), spec.vni(), spec.rules(), spec.mtu());
        Path file = vdcDirectory(vdcId).resolve(name + ".json");
        try {
            Files.createDirectories(file.getParent());
            Path written = file.resolveSibling(name + ".json.new");
            Files.writeString(written, JSON.writeValueAsString(network));
            Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // NICs already on the network follow a new VNI.
        for (LibvirtDomains.Found found : LibvirtDomains.ours(vdcId, hypervisor.domains())) {
            List<DomainDefinition.Nic> nics = found.definition().nics();
            for (int i = 0; i < nics.size(); i++) {
                DomainDefinition.Nic nic = nics.get(i);
                if (name.equals(nic.network()) && nic.vni() != null && nic.vni() != spec.vni()) {
                    place(found.definition().id().toString(), i, new NicPlacement(name, nic.mac(), nic.ip()), network);
                }
            }
        }
        return network;
    }

    @Override
    public synchronized void removeNetwork(String vdcId, String name) {
        Path file = vdcDirectory(vdcId).resolve(name + ".json");
        if (!Files.exists(file)) {
            return;
        }
        boolean used = LibvirtDomains.ours(vdcId, hypervisor.domains()).stream()
                .anyMatch(found -> found.definition().nics().stream().anyMatch(nic -> name.equals(nic.network())));
        if (used) {
            throw new VccProblemException(ProblemType.INVALID_STATE, "Network " + name + " still has VMs on it");
        }
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized VmInfo placeNic(String vmId, int index, NicPlacement placement) {
        VmInfo vm = hypervisor.info(vmId);
        SegmentNetworkInfo network = networks(vm.vdcId()).stream().filter(n -> n.name().equals(placement.network())).findFirst()
                .orElseThrow(() -> new VccProblemException(ProblemType.VALIDATION, "The VM's VDC has no network on a segment named "
                        + placement.network()));
        String prefix = network.cidr().substring(0, network.cidr().lastIndexOf('.'));
        if (!placement.ip().startsWith(prefix + ".") || placement.ip().equals(network.gateway())) {
            throw new VccProblemException(ProblemType.VALIDATION, "Address " + placement.ip() + " is not a host address of network "
                    + network.name() + " (" + network.cidr() + ", gateway " + network.gateway() + ")");
        }
        String mac = placement.mac().toLowerCase();
        List<LibvirtDomains.Found> all = hypervisor.domains();
        for (LibvirtDomains.Found found : all) {
            List<DomainDefinition.Nic> nics = found.definition().nics();
            for (int i = 0; i < nics.size(); i++) {
                boolean self = found.definition().id().toString().equals(vmId) && i == index;
                if (!self && mac.equalsIgnoreCase(nics.get(i).mac())) {
                    throw new VccProblemException(ProblemType.DUPLICATE, "MAC " + mac + " is in use on this host");
                }
                if (!self && found.definition().ours() && vm.vdcId().equals(found.definition().owner().vdcId())
                        && network.name().equals(nics.get(i).network()) && placement.ip().equals(nics.get(i).ip())) {
                    throw new VccProblemException(ProblemType.DUPLICATE, "Address " + placement.ip() + " is in use on network " + network.name());
                }
            }
        }
        return place(vmId, index, new NicPlacement(placement.network(), mac, placement.ip()), network);
    }

    /**
     * Libvirt cannot see into the guest; the probe (a TCP connect from the segment, as the simulation's namespaces do)
     * needs the bridge and a guest that runs: a domain that is off does not answer.
     */
    @Override
    public NicAnswer answer(String vmId, int index) {
        LibvirtDomains.Found found = hypervisor.required(vmId);
        List<DomainDefinition.Nic> nics = found.definition().nics();
        if (index < 0 || index >= nics.size()) {
            throw VccProblemException.notFound("NIC", index);
        }
        DomainDefinition.Nic nic = nics.get(index);
        if (nic.vni() == null || nic.ip() == null) {
            return new NicAnswer(false, "the NIC is on no segment");
        }
        if (!found.running()) {
            return new NicAnswer(false, "the domain's state");
        }
        String gateway = networks(found.definition().owner().vdcId()).stream().filter(n -> n.name().equals(nic.network()))
                .map(SegmentNetworkInfo::gateway).findFirst().orElse(null);
        return gateway == null ? new NicAnswer(false, "the NIC's network is gone")
                : new NicAnswer(bridges.answers(nic.vni(), nic.ip(), gateway), "a TCP connect from the segment's bridge");
    }

    @Override
    public synchronized void attachNic(String vmId, int index, int vni) {
        DomainDefinition.Nic nic = nic(vmId, index);
        String name = nic.network();
        SegmentNetworkInfo network = networks(hypervisor.info(vmId).vdcId()).stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseGet(() -> new SegmentNetworkInfo(null, name, null, null, vni, List.of(), 0)); // MTU 0: libvirt's default
        place(vmId, index, new NicPlacement(name, nic.mac(), nic.ip()), new SegmentNetworkInfo(network.vdcId(), name, network.cidr(),
                network.gateway(), vni, network.rules(), network.mtu()));
    }

    @Override
    public synchronized void detachNic(String vmId, int index) {
        DomainDefinition.Nic before = nic(vmId, index);
        hypervisor.redefineNics(vmId, nics -> {
            nics.set(index, new DomainDefinition.Nic(before.mac(), before.network(), before.ip(), null, null));
            return nics;
        });
        if (before.vni() != null) {
            bridges.detach(before.vni(), key(vmId, index));
        }
    }

    /** The NIC onto the network's segment: the bridge first (a domain's interface needs it), then the definition. */
    private VmInfo place(String vmId, int index, NicPlacement placement, SegmentNetworkInfo network) {
        DomainDefinition.Nic before = nic(vmId, index);
        bridges.attach(network.vni(), key(vmId, index));
        try {
            hypervisor.redefineNics(vmId, nics -> {
                nics.set(index, new DomainDefinition.Nic(placement.mac(), placement.network(), placement.ip(), network.vni(),
                        network.mtu() > 0 ? network.mtu() : null));
                return nics;
            });
        } catch (RuntimeException e) {
            if (!Objects.equals(before.vni(), network.vni())) {
                bridges.detach(network.vni(), key(vmId, index));
            }
            throw e;
        }
        if (before.vni() != null && before.vni() != network.vni()) {
            bridges.detach(before.vni(), key(vmId, index));
        }
        return hypervisor.info(vmId);
    }

    private DomainDefinition.Nic nic(String vmId, int index) {
        List<DomainDefinition.Nic> nics = hypervisor.required(vmId).definition().nics();
        if (index < 0 || index >= nics.size()) {
            throw VccProblemException.notFound("NIC", index);
        }
        return nics.get(index);
    }

    private Path vdcDirectory(String vdcId) {
        hypervisor.vdc(vdcId);
        if (!vdcId.matches("[A-Za-z0-9._-]{1,100}")) {
            throw VccProblemException.notFound("VDC", vdcId);
        }
        return directory.resolve(vdcId);
    }

    private static SegmentNetworkInfo read(Path file) {
        try {
            return JSON.readValue(Files.readString(file), SegmentNetworkInfo.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String key(String vmId, int index) {
        return vmId + "#" + index;
    }
}
