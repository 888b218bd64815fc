/**
 * A tenant's virtual data centers in each cloud, with their quotas, and the inventory inside them (vApps,
 * VMs, networks), read live from and provisioned through the node that serves the VDC.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Virtual data centers")
package io.vcc.server.vdc;
