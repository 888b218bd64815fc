package io.vcc.api.node;

/** A VM's NIC attached to a tenant segment at local VXLAN {@code vni}; {@code up} while the VM is powered on. */
public record SegmentPort(int vni, String vmId, String vdcId, int nicIndex, String mac, String ip, boolean up) {
}
