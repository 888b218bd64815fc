package io.vcc.server.ha;

/**
 * Why a failover runs: a detected FAILURE (fenced, VMs restored from their replicas), an operator's MANUAL
 * trigger (not fenced, VMs restored), or MAINTENANCE (planned: the source still runs, VMs move live).
 */
enum Trigger {
    FAILURE,
    MANUAL,
    MAINTENANCE
}
