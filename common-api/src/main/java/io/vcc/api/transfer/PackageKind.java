package io.vcc.api.transfer;

/** What a package carries: one VM, a vApp of VMs, or a catalog template (a vApp template). */
public enum PackageKind { VM, VAPP, TEMPLATE }
