/**
 * Ethernet frames with stacks of 802.1Q (0x8100) and 802.1ad (0x88A8) tags, and the VXLAN header (RFC 7348):
 * static, bounds-checked, allocation-free functions over offsets into {@code ByteBuf}s for the forwarding path
 * ({@link io.vcc.datapath.frame.EthernetFrames}, {@link io.vcc.datapath.frame.Vxlan}), and value types for
 * building and inspecting frames elsewhere ({@link io.vcc.datapath.frame.EthernetFrame},
 * {@link io.vcc.datapath.frame.Tag}).
 */
package io.vcc.datapath.frame;
