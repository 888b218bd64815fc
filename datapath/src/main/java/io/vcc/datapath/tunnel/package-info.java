/**
 * The tunnel between nodes: a 12-octet clear header ({@link io.vcc.datapath.tunnel.TunnelHeader}), AES-GCM
 * from the JDK sealing the tagged frame in place ({@link io.vcc.datapath.tunnel.TunnelCipher}), per-pair
 * key rings with rotation ({@link io.vcc.datapath.tunnel.KeyRing}) and a sliding replay window
 * ({@link io.vcc.datapath.tunnel.ReplayWindow}).
 */
package io.vcc.datapath.tunnel;
