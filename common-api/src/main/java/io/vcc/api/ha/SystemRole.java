package io.vcc.api.ha;

/** What a physical system is for: it hosts a customer hypervisor, or it belongs to an HA pool. */
public enum SystemRole {
    CUSTOMER,
    POOL
}
