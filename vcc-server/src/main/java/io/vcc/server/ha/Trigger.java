package io.vcc.server.ha;

/**
 * Why a failover runs: a detected FAILURE (fenced, VMs restored from their replicas), an operator's MANUAL
 * trigger (not fenced, VMs restored), MAINTENANCE (planned: the source still runs, VMs move live), or a
 * CAPACITY_BURST the pool's policy detected (the source runs but is overloaded: the VMs it chose move live).
 */
enum Trigger {
    FAILURE,
    MANUAL,
    MAINTENANCE,
    CAPACITY_BURST;

    /** Whether the source still runs, so VMs move with their memory and disks rather than from their replicas. */
    boolean live() {
        return this == MAINTENANCE || this == CAPACITY_BURST;
    }
}
