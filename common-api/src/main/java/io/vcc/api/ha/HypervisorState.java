package io.vcc.api.ha;

/** RUNNING for customer and first-level hypervisors that work; INACTIVE or ACTIVE for virtual ones; FAILED when down. */
public enum HypervisorState {
    RUNNING,
    INACTIVE,
    ACTIVE,
    FAILED
}
