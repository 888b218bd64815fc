package io.vcc.node.adapter.sim.ha;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The simulated HA systems: how long each action takes (booting a virtual hypervisor, moving a VM) and the chunk
 * size of disk replication, whose digests decide which chunks a pass copies.
 */
@ConfigurationProperties("vcc.sim.ha")
record SimHaProperties(
        @DefaultValue("100ms") Duration operationDelay,
        @DefaultValue("1048576") int replicaChunkSize) {

    void work() {
        try {
            Thread.sleep(operationDelay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
