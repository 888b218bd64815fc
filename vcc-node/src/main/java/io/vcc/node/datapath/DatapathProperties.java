package io.vcc.node.datapath;

import io.vcc.datapath.DatapathConfig;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The node's datapath settings ({@code vcc.datapath.*}); every one is listed with its default in vcc-node.yml.
 *
 * @param localVtep      {@code host:port} the local cloud's VTEPs send VXLAN to (port 0: any free port)
 * @param tunnel         {@code host:port} peer nodes send the tunnel to (port 0: any free port)
 * @param advertisedHost the host peers are told to send the tunnel to when {@code tunnel} binds a wildcard
 *                       address; empty: the host of {@code vcc.node.base-url}
 * @param tunnelMtu      IP MTU of the path between nodes
 * @param eventLoops     threads; 0 lets the datapath choose (up to 4)
 * @param spinBeforeSleep how long an event loop keeps polling after it last found work before it sleeps; 0: at once
 * @param udpGro         let the kernel coalesce the peers' tunnel datagrams (UDP_GRO): more frames per core for bulk
 *                       traffic, each read holding a 64 KiB buffer
 */
@ConfigurationProperties("vcc.datapath")
record DatapathProperties(
        boolean enabled,
        @DefaultValue("0.0.0.0:4789") String localVtep,
        @DefaultValue("0.0.0.0:4790") String tunnel,
        @DefaultValue("") String advertisedHost,
        @DefaultValue("1500") int tunnelMtu,
        @DefaultValue("AUTO") DatapathConfig.Transport transport,
        @DefaultValue("0") int eventLoops,
        @DefaultValue("200us") Duration spinBeforeSleep,
        @DefaultValue("false") boolean udpGro) {
}
