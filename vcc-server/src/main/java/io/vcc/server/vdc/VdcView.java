package io.vcc.server.vdc;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * A VDC; {@code usage} is read live from its node and absent when the node does not answer.
 * {@code allowUnsignedPackages}: packages without a manifest may be imported into it (an admin's setting).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VdcView(UUID id, UUID tenantId, UUID cloudId, UUID nodeId, String name, String remoteId, int cpuQuota,
                      long memoryMbQuota, long storageGbQuota, Instant createdAt, boolean allowUnsignedPackages,
                      Usage usage) {

    public record Usage(int cpus, long memoryMb, long storageGb) {
    }

    VdcView withUsage(Usage usage) {
        return new VdcView(id, tenantId, cloudId, nodeId, name, remoteId, cpuQuota, memoryMbQuota, storageGbQuota, createdAt,
                allowUnsignedPackages, usage);
    }
}
