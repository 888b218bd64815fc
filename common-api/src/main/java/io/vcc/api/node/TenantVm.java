package io.vcc.api.node;

/** One row of the SP node's tenant-to-VM mapping: which organization and VDC a VM belongs to. */
public record TenantVm(String organization, String vdcId, String vdcName, VmInfo vm) {
}
