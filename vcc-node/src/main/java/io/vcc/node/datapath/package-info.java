/**
 * The {@link io.vcc.node.adapter.DatapathAdapter} that embeds the Netty datapath ({@code io.vcc.datapath})
 * and the node API that exposes it ({@code /node/v1/datapath}, contract {@link io.vcc.api.datapath.DatapathApi}).
 *
 * <p>With {@code vcc.datapath.enabled=true} the adapter is created with the node. The datapath needs the
 * node's datacenter tag, which only the server hands out, so it binds its ports ({@code vcc.datapath.local-vtep},
 * {@code vcc.datapath.tunnel}) on the server's first {@code PUT /node/v1/datapath}; until then
 * {@code GET /node/v1/datapath} shows it enabled, not running. The tag map and the keys live in memory only:
 * after a node restart the server programs them again (keys are never written to disk on a node).
 */
package io.vcc.node.datapath;
