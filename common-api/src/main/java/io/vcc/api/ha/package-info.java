/**
 * The node's high-availability API (seed 001): physical systems with their first-level hypervisor, customer
 * hypervisors with customer VMs, and pools of physical systems nesting inactive virtual hypervisors that a
 * failover activates.
 */
package io.vcc.api.ha;
