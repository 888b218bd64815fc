/**
 * Checkpoint-restart transfers of OVF packages between nodes (seed 002, FIG. 17–19). The server asks
 * ({@code /node/v1/transfers/...}); peers move bytes ({@code /node/v1/packages/...}) with credentials the
 * server issued for one transfer. Every committed chunk is logged in the node's database after it is on
 * disk, so any restart resumes from the last checkpoint.
 */
package io.vcc.node.transfer;
