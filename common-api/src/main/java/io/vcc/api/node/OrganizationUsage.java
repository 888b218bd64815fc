package io.vcc.api.node;

/** One organization (tenant) of a multi-tenant cloud, as the cloud-level view shows it. */
public record OrganizationUsage(String organization, int vdcs, int vms, int cpuUsed, long memoryMbUsed,
                                long storageGbUsed) {
}
