package io.vcc.node.transfer;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How this node moves packages: a node-wide bandwidth cap ({@code maxRate} bytes per second, 0 for none),
 * the hashing pipeline's buffers (larger when receiving: received bytes go to disk past the page cache, where
 * each write costs a round trip to the device), how many verified chunks a receiver may hold while earlier ones are being
 * fsynced and checkpointed ({@code commitWindow}; they are recovered from the staged file, not sent again,
 * should the node stop), how often an uploading node asks its peer how far it has committed (progress and
 * the source's log), peer timeouts, how long it waits before retrying a peer, how often it
 * takes a corrupt chunk again before it gives up, how long a peer grant lives, and after how long without
 * change a transfer's staging counts as left behind (how often that is looked for is the staging
 * janitor's setting, {@code vcc.transfers.staging-sweep-interval} in {@code io.vcc.node.packaging}); with TLS, whether
 * Tomcat encrypts with BoringSSL ({@code openssl}, where it loads) or the JDK's engine ({@code jdk}).
 */
@ConfigurationProperties("vcc.transfers")
record TransferProperties(
        @DefaultValue("0") DataSize maxRate,
        @DefaultValue("8") int pipelineBuffers,
        @DefaultValue("256KB") DataSize bufferSize,
        @DefaultValue("1MB") DataSize receiveBufferSize,
        @DefaultValue("4") int commitWindow,
        @DefaultValue("1s") Duration progressInterval,
        @DefaultValue("2s") Duration peerConnectTimeout,
        @DefaultValue("30s") Duration peerReadTimeout,
        @DefaultValue("1s") Duration retryInterval,
        @DefaultValue("5") int chunkAttempts,
        @DefaultValue("24h") Duration grantTtl,
        @DefaultValue("24h") Duration stagingTtl,
        @DefaultValue("openssl") String tlsEngine) {
}
