/**
 * Stretch deploy (seed 004): a VM or a vApp moves to another cloud keeping its IP and MAC addresses, on the
 * tenant's layer-2 network stretched into that cloud, and can come back.
 * <p>
 * The workflow: <b>validate</b> (refusals before anything changes) → <b>infrastructure</b> (the tenant network
 * extended into the target cloud, both nodes' datapaths programmed; a routed VDC network on that segment with
 * the source network's edge rules) → <b>export, transfer, verify</b> (the transfer's own steps) → <b>deploy</b>
 * (imported at the target with the same MACs, each NIC placed with its IP; powered off, so that two copies never
 * answer on one address) → <b>cut-over</b> (source powered off, target powered on when the source was on: the
 * point of no return; a cut-over that fails puts the source back itself) → <b>remove-source</b> (unless the
 * request keeps it powered off until the operator commits) → <b>cleanup</b> → <b>retract</b> (a reverse only:
 * the network leaves the cloud when no VM of the tenant is left on it there).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Stretch deploy")
package io.vcc.server.stretch;
