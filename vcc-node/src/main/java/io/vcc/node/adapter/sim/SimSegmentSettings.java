package io.vcc.node.adapter.sim;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the simulated hypervisor puts NICs on tenant segments ({@code vcc.sim.segments.*}).
 *
 * @param vteps the VTEPs ({@code host:port}) the simulated hosts send the segments' VXLAN from; what the server
 *              programs as the segments' local VTEPs. Empty: none (the datapath then carries nothing into the cloud)
 */
@ConfigurationProperties("vcc.sim.segments")
record SimSegmentSettings(@DefaultValue List<String> vteps) {
}
