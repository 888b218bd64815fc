package io.vcc.api.ha;

import java.time.Instant;

/**
 * One replication pass of a VM's disks into the pool: chunks compared, chunks copied (changed), bytes copied;
 * {@code replicaAt} is the point the replica now holds (the disk as it was when the pass took its digests).
 */
public record ReplicationResult(String vmId, int chunks, int chunksCopied, long bytesCopied, Instant replicaAt) {
}
