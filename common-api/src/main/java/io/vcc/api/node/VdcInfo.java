package io.vcc.api.node;

/** A VDC as its cloud reports it: allocation and what is used of it. */
public record VdcInfo(String id, String organization, String name, int cpuQuota, long memoryMbQuota,
                      long storageGbQuota, int cpuUsed, long memoryMbUsed, long storageGbUsed) {
}
