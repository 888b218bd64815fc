package io.vcc.node.adapter;

import io.vcc.api.node.PowerState;
import io.vcc.api.node.VappInfo;
import io.vcc.api.node.VdcInfo;
import io.vcc.api.node.VmInfo;
import io.vcc.api.node.VmSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * VM lifecycle in the local cloud: create with disks and NICs, power, delete, and which VMs and vApps a VDC
 * holds (the hypervisor owns them; the cloud director owns VDCs and networks; the {@link TemplateCatalog} the
 * templates, whose VMs are this hypervisor's). Creation stays within the VDC's allocation; the adapter refuses
 * with {@code quota-exceeded} otherwise.
 */
public interface HypervisorAdapter {

    String name();

    Optional<VmInfo> vm(String vmId);

    /** The VDC's VMs (not its templates' VMs), by name; {@code not-found} for a VDC the cloud does not have. */
    List<VmInfo> vms(String vdcId);

    /** The VDC's vApps, by name; {@code not-found} for a VDC the cloud does not have. */
    List<VappInfo> vapps(String vdcId);

    /** A vApp with its VMs; empty for an unknown id and for a catalog template's vApp. */
    Optional<VappInfo> vapp(String vappId);

    /**
     * {@code vdc} as the cloud director reports it, plus what this hypervisor's VMs in it use when the director
     * does not count them (a hypervisor other than the director's own).
     */
    VdcInfo withUsage(VdcInfo vdc);

    VmInfo createVm(String vdcId, VmSpec spec);

    VmInfo power(String vmId, PowerState state);

    /** Refuses with {@code invalid-state} while the VM is powered on. */
    void deleteVm(String vmId);

    /**
     * The image files of a VM's disks, in disk order, for reading (export). Callers copy them; they
     * never write to them.
     */
    List<Path> diskImages(String vmId);

    /**
     * Makes imported disk images ready to be taken over by {@link #importVm}, {@link #importVapp} or the catalog's
     * {@code importTemplate}, and answers the VMs with them. Callers run it before any transaction: it may take
     * as long as reading every disk. A hypervisor that converts images inspects and converts them here, into the
     * directory they are staged in, and refuses what it cannot take safely ({@code package-unsafe},
     * {@code package-invalid}, {@code package-unsupported}) before anything is created; one that keeps a disk
     * file's bytes as they are (the simulated cloud) answers them unchanged.
     */
    default List<VmImport> prepareImport(List<VmImport> vms) {
        return vms;
    }

    /**
     * Creates a VM from imported disk images, within the VDC's allocation like {@link #createVm}; refuses
     * a name the VDC already has with {@code duplicate}.
     */
    VmInfo importVm(String vdcId, VmImport vm);

    /** Creates a vApp named {@code name} from imported VMs (they keep their names), all or none, within the VDC's allocation. */
    VappInfo importVapp(String vdcId, String name, List<VmImport> vms);

    /**
     * Removes the VMs an import with this key made that were never committed by their caller: a node that
     * stopped between creating them and committing its record of them leaves them behind. Callers call it only
     * for an import they have not committed, before they try it again or when they give it up.
     */
    void discardImport(String importKey);
}
