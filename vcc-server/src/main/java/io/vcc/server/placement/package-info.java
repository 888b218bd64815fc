/**
 * A cloud's physical side as its VCC node reports it (seed 003): zones with their VLAN ranges and the VLAN
 * each account holds, hosts with what is placed on them, and each account's usage for billing. Admins only:
 * it shows every tenant of the cloud.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Cloud hosts, VLANs and usage")
package io.vcc.server.placement;
