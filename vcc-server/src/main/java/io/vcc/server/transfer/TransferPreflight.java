package io.vcc.server.transfer;

import io.vcc.api.node.NodeApi;
import io.vcc.api.node.TemplateInfo;
import io.vcc.api.node.VappInfo;
import io.vcc.api.node.VdcInfo;
import io.vcc.api.node.VmInfo;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.PackageKind;
import io.vcc.server.node.NodeGateway;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The checks a transfer passes before anything is written anywhere: both nodes answer, the VM, vApp or
 * template is in the source VDC, it fits the target VDC's quotas (a template only its storage) and its
 * names are free there. They run when the request arrives, so the caller hears at once, and again as the
 * workflow's first step, since a queued transfer may start when things have changed.
 */
@Component
class TransferPreflight {

    private static final long GIB = 1024L * 1024 * 1024;

    private final NodeGateway nodes;

    TransferPreflight(NodeGateway nodes) {
        this.nodes = nodes;
    }

    /** What is transferred, as the source node sees it now: its name (the default name at the target) and its VMs. */
    record Source(String name, List<VmInfo> vms) {
    }

    Source check(TransferParams p) {
        NodeApi source = nodes.nodeApi(p.sourceNodeId());
        NodeApi target = nodes.nodeApi(p.targetNodeId());
        target.status();
        Source what = source(source, p.kind(), p.sourceRemoteVdcId(), p.sourceId());
        VdcInfo vdc = target.vdc(p.targetRemoteVdcId());
        boolean template = p.kind() == PackageKind.TEMPLATE;
        int cpus = template ? 0 : what.vms().stream().mapToInt(VmInfo::cpus).sum();
        long memoryMb = template ? 0 : what.vms().stream().mapToLong(VmInfo::memoryMb).sum();
        long storageGb = (what.vms().stream().flatMap(vm -> vm.disks().stream()).mapToLong(d -> d.capacityBytes()).sum() + GIB - 1) / GIB;
        vdc.requireRoomFor(p.kind() + " " + what.name() + " of the source", cpus, memoryMb, storageGb);
        String name = p.targetName() != null ? p.targetName() : what.name();
        List<String> taken = switch (p.kind()) {
            case VM -> target.vms(p.targetRemoteVdcId()).stream().map(VmInfo::name).filter(name::equals).toList();
            case VAPP -> target.vms(p.targetRemoteVdcId()).stream().map(VmInfo::name)
                    .filter(existing -> what.vms().stream().anyMatch(vm -> vm.name().equals(existing))).toList();
            case TEMPLATE -> target.templates(p.targetRemoteVdcId()).stream().map(TemplateInfo::name).filter(name::equals).toList();
        };
        if (!taken.isEmpty()) {
            throw new VccProblemException(ProblemType.DUPLICATE, "The target VDC " + vdc.name() + " already has "
                    + (p.kind() == PackageKind.TEMPLATE ? "a template named " : "a VM named ") + String.join(", ", taken));
        }
        return what;
    }

    private static Source source(NodeApi node, PackageKind kind, String vdcId, String id) {
        return switch (kind) {
            case VM -> {
                VmInfo vm = node.vm(id);
                if (!vm.vdcId().equals(vdcId)) {
                    throw VccProblemException.notFound("VM", id);
                }
                yield new Source(vm.name(), List.of(vm));
            }
            case VAPP -> {
                VappInfo vapp = node.vapps(vdcId).stream().filter(v -> v.id().equals(id)).findFirst()
                        .orElseThrow(() -> VccProblemException.notFound("vApp", id));
                yield new Source(vapp.name(), vapp.vmIds().stream().map(node::vm).toList());
            }
            case TEMPLATE -> {
                TemplateInfo template = node.template(id);
                if (!template.vdcId().equals(vdcId)) {
                    throw VccProblemException.notFound("Template", id);
                }
                yield new Source(template.name(), template.vms());
            }
        };
    }
}
