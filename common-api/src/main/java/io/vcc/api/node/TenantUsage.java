package io.vcc.api.node;

import java.time.Instant;

/**
 * What one organization (tenant account) of a cloud has used, for billing, up to {@code asOf}: VM-hours (the
 * hours its VMs held their place on a host, powered on or not, as the host's capacity stays reserved) and
 * storage-GB-hours (disk capacity of its VMs and catalog templates times hours held); and what it holds now.
 */
public record TenantUsage(String organization, double vmHours, double storageGbHours, int vms, long storageGb,
                          Instant asOf) {
}
