package io.vcc.api.node;

import java.util.List;

/** A vApp template in a VDC's catalog: what its VMs hold (hardware, disks, networks); they cannot run. */
public record TemplateInfo(String id, String vdcId, String name, List<VmInfo> vms) {
}
