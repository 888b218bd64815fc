/**
 * The node's layer-2 datapath: VXLAN from the local cloud in, 802.1ad/802.1Q tags by the tag map, an
 * authenticated and encrypted UDP tunnel between nodes, VXLAN out. A plain library (Netty, Micrometer,
 * SLF4J; no Spring) that the node embeds:
 *
 * <pre>{@code
 * Datapath datapath = Datapath.start(DatapathConfig.builder()
 *         .localVtep(new InetSocketAddress(underlayAddress, 4789))  // where the local cloud's VTEPs send VXLAN
 *         .tunnel(new InetSocketAddress(publicAddress, 4790))      // where peer nodes send the tunnel
 *         .datacenterTag(108)                                      // this node's datacenter tag, from the server
 *         .build());
 * datapath.metrics().bindTo(meterRegistry);                        // Micrometer MeterBinder for Actuator
 *
 * // as the server programs it, at any time, while traffic flows:
 * datapath.tagMap().putPeer(new Peer("node-b", 208, new InetSocketAddress(peerAddress, 4790)));
 * datapath.tunnelKeys().install("node-b", new TunnelKey(1, keyFromServer));
 * datapath.tagMap().putSegment(new Segment("acme/web", 5001, 100, 200,
 *         List.of(new InetSocketAddress(vtepAddress, 4789)), Set.of("node-b")));
 *
 * DatapathSnapshot state = datapath.snapshot();                    // for a GET endpoint
 * datapath.close();
 * }</pre>
 *
 * <p>A frame from a local VTEP on VNI 5001 is learned and looked up on that segment; for a peer it gets the
 * segment's host tag (802.1ad) and customer tag (802.1Q) and the peer's datacenter tag (802.1ad, outermost),
 * is sealed with AES-GCM under the pair's key and sent to the peer, which checks and pops every tag it
 * expects and delivers the frame as VXLAN on its own VNI for that (host, customer) pair. A tenant's own tags
 * travel untouched; no node tag ever reaches a VTEP. Every frame that is not delivered is counted under a
 * {@link io.vcc.datapath.DropReason}.
 *
 * <p>Sub-packages: {@link io.vcc.datapath.frame} (the allocation-free Ethernet/VLAN/VXLAN codec) and
 * {@link io.vcc.datapath.tunnel} (tunnel header, AES-GCM, keys, replay window).
 */
package io.vcc.datapath;
