package io.vcc.server.stretch;

import io.vcc.api.datapath.DatapathState;
import io.vcc.api.node.NodeApi;
import io.vcc.api.node.NicInfo;
import io.vcc.api.node.SegmentNodeApi;
import io.vcc.api.node.SegmentPort;
import io.vcc.api.node.VdcInfo;
import io.vcc.api.node.VmInfo;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.server.network.NetworkService;
import io.vcc.server.network.NetworkView;
import io.vcc.server.node.NodeGateway;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * What a stretch deploy must find true before it changes anything, checked live when it is asked for and again
 * as its first step: both clouds' nodes answer and run a datapath whose MTU budget fits the VM's MTU, the source
 * VMs are as they were (same NICs, MACs and IPs), they fit the target VDC's quota, their names are free there,
 * and no NIC on the segment in the target cloud (nor in the target VDC) has one of their MACs or IPs.
 */
@Component
class StretchValidation {

    private static final long GIB = 1024L * 1024 * 1024;

    private final NodeGateway nodes;
    private final NetworkService networks;

    StretchValidation(NodeGateway nodes, NetworkService networks) {
        this.nodes = nodes;
        this.networks = networks;
    }

    void check(StretchParams p) {
        NodeApi source = nodes.nodeApi(p.sourceNodeId());
        NodeApi target = nodes.nodeApi(p.targetNodeId());
        source.status();
        target.status();
        NetworkView network = networks.network(p.networkId());
        datapath(p.sourceNodeId(), "source", network);
        datapath(p.targetNodeId(), "target", network);

        List<VmInfo> vms = new ArrayList<>();
        for (StretchParams.Vm expected : p.vms()) {
            VmInfo vm = source.vm(expected.sourceVmId());
            if (!vm.vdcId().equals(p.sourceRemoteVdcId())) {
                throw VccProblemException.notFound("VM", expected.sourceVmId());
            }
            for (StretchParams.Nic nic : expected.nics()) {
                boolean same = vm.nics().stream().anyMatch(n -> n.index() == nic.index() && nic.mac().equalsIgnoreCase(n.mac())
                        && nic.ip().equals(n.ip()));
                if (!same) {
                    throw new VccProblemException(ProblemType.STRETCH_REFUSED, "The NICs of VM " + vm.name()
                            + " changed since the stretch deploy was asked for; ask again");
                }
            }
            vms.add(vm);
        }

        VdcInfo vdc = target.vdc(p.targetRemoteVdcId());
        vdc.requireRoomFor(p.kind() + " " + p.targetName(), vms.stream().mapToInt(VmInfo::cpus).sum(),
                vms.stream().mapToLong(VmInfo::memoryMb).sum(),
                (vms.stream().flatMap(vm -> vm.disks().stream()).mapToLong(d -> d.capacityBytes()).sum() + GIB - 1) / GIB);
        List<VmInfo> present = target.vms(p.targetRemoteVdcId()).stream().filter(vm -> !p.replaceVmIds().contains(vm.id())).toList();
        List<String> taken = present.stream().map(VmInfo::name).filter(name -> vms.stream().anyMatch(vm -> vm.name().equals(name))).toList();
        if (!taken.isEmpty()) {
            throw new VccProblemException(ProblemType.DUPLICATE, "The target VDC " + vdc.name() + " already has a VM named "
                    + String.join(", ", taken));
        }
        if (p.kind() == io.vcc.api.transfer.PackageKind.VAPP
                && target.vapps(p.targetRemoteVdcId()).stream().anyMatch(vapp -> vapp.name().equals(p.targetName())
                && !p.replaceVmIds().containsAll(vapp.vmIds()))) {
            throw new VccProblemException(ProblemType.DUPLICATE, "The target VDC " + vdc.name() + " already has a vApp named " + p.targetName());
        }

        Set<String> macs = new HashSet<>();
        Set<String> ips = new HashSet<>();
        for (VmInfo vm : present) {
            for (NicInfo nic : vm.nics()) {
                macs.add(nic.mac().toLowerCase());
                if (nic.network().equals(p.networkName()) && nic.ip() != null) {
                    ips.add(nic.ip());
                }
            }
        }
        network.clouds().stream().filter(span -> span.cloudId().equals(p.targetCloudId())).findFirst().ifPresent(span -> {
            for (SegmentPort port : nodes.client(p.targetNodeId(), SegmentNodeApi.class).segments().on(span.vni())) {
                if (!p.replaceVmIds().contains(port.vmId())) {
                    macs.add(port.mac().toLowerCase());
                    ips.add(port.ip());
                }
            }
        });
        for (StretchParams.Vm vm : p.vms()) {
            for (StretchParams.Nic nic : vm.nics()) {
                if (macs.contains(nic.mac().toLowerCase()) || ips.contains(nic.ip())) {
                    throw new VccProblemException(ProblemType.STRETCH_REFUSED, "MAC " + nic.mac() + " or IP " + nic.ip() + " of VM "
                            + vm.name() + " is in use in the target cloud on network " + network.name());
                }
            }
        }
    }

    private void datapath(UUID nodeId, String which, NetworkView network) {
        DatapathState state = networks.datapath(nodeId);
        if (!state.enabled()) {
            throw new VccProblemException(ProblemType.STRETCH_REFUSED, "The " + which + " cloud's node runs no datapath "
                    + "(vcc.datapath.enabled=false), so the network cannot be stretched there");
        }
        if (!network.fitsIn(state.mtu())) {
            throw new VccProblemException(ProblemType.STRETCH_REFUSED, "The " + which + " cloud's datapath carries a tenant MTU of "
                    + state.mtu().maxTenantMtu() + " at most; network " + network.name() + " has MTU " + network.mtu()
                    + " (give the node a larger vcc.datapath.tunnel-mtu, or stretch a network with a smaller MTU)");
        }
    }
}
