package io.vcc.server.transfer;

import java.time.Duration;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * Transfer settings: chunk size (what a checkpoint covers, and at most what is sent again after a
 * failure), how many transfers a node takes part in at once (the rest queue), how long a transfer may
 * make no progress (a node down, a peer unreachable) before it fails and is compensated, and how often
 * the server polls nodes.
 */
@Component
class TransferSettings {

    final int chunkSize;
    final int maxPerNode;
    final Duration nodeDeadline;
    final Duration pollInterval;

    TransferSettings(Environment environment) {
        this.chunkSize = (int) environment.getProperty("vcc.transfers.chunk-size", DataSize.class, DataSize.ofMegabytes(8)).toBytes();
        this.maxPerNode = environment.getProperty("vcc.transfers.max-per-node", Integer.class, 2);
        this.nodeDeadline = environment.getProperty("vcc.transfers.node-deadline", Duration.class, Duration.ofMinutes(10));
        this.pollInterval = environment.getProperty("vcc.transfers.poll-interval", Duration.class, Duration.ofSeconds(1));
    }
}
