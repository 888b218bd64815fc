package io.vcc.api.ha;

/**
 * A customer hypervisor runs customer VMs on bare metal; a first-level hypervisor runs on a pool system and nests
 * virtual hypervisors; a virtual hypervisor is nested in a first-level one and, once active, runs customer VMs.
 */
public enum HypervisorKind {
    CUSTOMER,
    FIRST_LEVEL,
    VIRTUAL
}
