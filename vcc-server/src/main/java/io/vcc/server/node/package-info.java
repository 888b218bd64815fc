/**
 * The nodes installed in the clouds: one-time registration tokens, self-registration at install time,
 * encrypted node credentials, login sessions to nodes, and status polling.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Nodes")
package io.vcc.server.node;
