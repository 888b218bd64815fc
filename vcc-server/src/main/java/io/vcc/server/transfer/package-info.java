/**
 * Moving and copying VMs between clouds (seed 002, FIG. 17–19): {@code POST /api/v1/transfers} starts a
 * transfer workflow — preflight, export, checkpoint-restart transfer between the two nodes (push when the
 * target node is public, pull when only the source is), verify, import, for a move the removal of the
 * source, and the cleanup of both staging areas.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Transfers")
package io.vcc.server.transfer;
