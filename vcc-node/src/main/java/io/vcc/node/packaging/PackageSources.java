package io.vcc.node.packaging;

import io.vcc.api.node.VmInfo;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import io.vcc.api.transfer.PackageKind;
import io.vcc.node.adapter.HypervisorAdapter;
import io.vcc.node.adapter.TemplateCatalog;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * What a package of each kind is made from, as the cloud has it now: a VM, a vApp with its VMs, or a catalog
 * template with its VMs. The one place that knows how each kind is looked up, for every feature that exports.
 */
@Component
public class PackageSources {

    private final HypervisorAdapter hypervisor;
    private final TemplateCatalog catalog;

    PackageSources(HypervisorAdapter hypervisor, TemplateCatalog catalog) {
        this.hypervisor = hypervisor;
        this.catalog = catalog;
    }

    /** A VM, vApp or template: its name, its VDC and the ids of the VMs a package of it carries. */
    public record Source(PackageKind kind, String id, String name, String vdcId, List<String> vmIds) {

        /** "VM", "vApp" or "Template", as problems name it. */
        public String label() {
            return label(kind);
        }

        static String label(PackageKind kind) {
            return switch (kind) {
                case VM -> "VM";
                case VAPP -> "vApp";
                case TEMPLATE -> "Template";
            };
        }
    }

    /** The source of that kind and id; none when the cloud has no such VM, vApp or template. */
    public Optional<Source> find(PackageKind kind, String id) {
        return switch (kind) {
            case VM -> hypervisor.vm(id).map(vm -> new Source(kind, id, vm.name(), vm.vdcId(), List.of(vm.id())));
            case VAPP -> hypervisor.vapp(id).map(vapp -> new Source(kind, id, vapp.name(), vapp.vdcId(), vapp.vmIds()));
            case TEMPLATE -> catalog.template(id).map(template -> new Source(kind, id, template.name(), template.vdcId(),
                    template.vms().stream().map(VmInfo::id).toList()));
        };
    }

    /** The source, or {@code not-found}; one of another VDC than {@code vdcId} (when given) is not found either. */
    public Source require(PackageKind kind, String id, String vdcId) {
        return find(kind, id).filter(source -> vdcId == null || source.vdcId().equals(vdcId))
                .orElseThrow(() -> VccProblemException.notFound(Source.label(kind), id));
    }

    /** The VMs a package of the source carries, as the hypervisor has them now; refuses a source without VMs. */
    public List<VmInfo> vms(Source source) {
        if (source.vmIds().isEmpty()) {
            throw new VccProblemException(ProblemType.INVALID_STATE, source.kind() + " " + source.id() + " has no VMs to export");
        }
        return source.vmIds().stream().map(id -> hypervisor.vm(id).orElseThrow(() -> VccProblemException.notFound("VM", id))).toList();
    }
}
