package io.vcc.server.transfer;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Transfer settings.
 *
 * @param chunkSize    what a checkpoint covers, and at most what is sent again after a failure
 * @param maxPerNode   how many transfers a node takes part in at once (the rest queue)
 * @param nodeDeadline how long a transfer may make no progress (a node down, a peer unreachable) before it fails
 *                     and is compensated
 * @param pollInterval how often the server asks the nodes how a step goes
 */
@ConfigurationProperties("vcc.transfers")
record TransferSettings(@DefaultValue("8MB") DataSize chunkSize, @DefaultValue("2") int maxPerNode,
                        @DefaultValue("10m") Duration nodeDeadline, @DefaultValue("1s") Duration pollInterval) {

    int chunkBytes() {
        return Math.toIntExact(chunkSize.toBytes());
    }
}
