/**
 * The node's datapath API (issue 4), written once for the node that serves it and the server that programs
 * it: the tag map (per local VXLAN segment a host and a customer tag; per peer node a datacenter tag, a
 * tunnel address and the pair's tunnel keys) and what the datapath counted. Addresses travel as
 * {@code host:port} strings ({@code [v6]:port} for IPv6) so that the wire form is plain JSON.
 */
package io.vcc.api.datapath;
