/**
 * Tenant networks stretched across clouds (seed 000): a tenant's VLAN as one layer-2 network in every cloud
 * it spans. The server allocates the tags and programs every involved node's datapath:
 * <ul>
 *   <li>per tenant network a <b>host tag</b> (802.1ad) and a <b>customer tag</b> (802.1Q); each level is its
 *       own space of VLAN IDs 1..{@code vcc.networks.max-tag}, unique system-wide, so two tenants using the
 *       same VLAN ID get different tags, and the system holds at most 4094 tenant networks;</li>
 *   <li>per cloud a <b>datacenter tag</b> (802.1ad, outermost between nodes), held while a tenant network spans
 *       the cloud;</li>
 *   <li>per tenant network and cloud the <b>local VXLAN VNI</b> the cloud's VTEPs use for it. The server
 *       allocates it (unique per cloud, from {@code vcc.networks.first-vni..last-vni}) rather than taking it
 *       in the request, so that two tenants can never claim the same segment of a cloud; the network's view
 *       tells the operator which VNI to configure on the cloud's VTEPs;</li>
 *   <li>per node pair an AES-GCM tunnel key with a one-octet id. The server generates it, gives it to both
 *       nodes and keeps only its id: a node that lost it (restarted) gets a fresh one the next time the
 *       network is programmed, and {@code POST /api/v1/networks/{id}/tunnel-keys/rotation} rotates without
 *       loss (stage on both, activate on both, retire the old).</li>
 * </ul>
 * Allocations are serialised per space with PostgreSQL advisory transaction locks (so replicas never hand
 * out the same value twice) and backed by unique constraints. An exhausted space answers
 * {@code 409 tag-space-exhausted}: the network cannot be created until another one is deleted.
 * <p>
 * What tenants ask for is checked before anything is allocated: a tenant has at most its network quota of
 * networks ({@code 409 network-quota-exceeded}), so that no one tenant takes the system's tags, and its
 * local VTEPs must be addresses the admin allowed for the cloud and never the node itself
 * ({@link VtepPolicy}), since the node sends the tenant's traffic there.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Tenant networks")
package io.vcc.server.network;
