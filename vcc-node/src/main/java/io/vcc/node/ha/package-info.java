/**
 * The node API of high availability ({@code /node/v1/ha}, contract {@link io.vcc.api.ha.HaNodeApi}) over the
 * {@link io.vcc.node.adapter.HaAdapter}; the server orchestrates failovers with it.
 */
package io.vcc.node.ha;
