/**
 * High availability on nested virtual hypervisors (seed 001, claims 1 and 8): pools of physical systems nesting
 * inactive virtual hypervisors (VHs), protections of customer hypervisors or VMs into a pool with a recovery point
 * objective, and failovers under {@code /api/v1/ha/…}. A failover is a durable workflow — fence the failed system
 * (failure only), activate a VH (the mirror if free, else one of equal or better hardware generation and size),
 * move the customer VMs onto it keeping MAC, IP and NIC segment and tag, evacuate the other inactive VHs from its
 * physical system, hold — and a failback workflow returns the VMs and the VH. Failures are detected from the
 * node's hypervisor heartbeats, confirmed by a second check; protected VMs' disks are replicated incrementally.
 */
@org.springframework.modulith.ApplicationModule(displayName = "High availability")
package io.vcc.server.ha;
