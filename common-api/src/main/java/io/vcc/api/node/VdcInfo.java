package io.vcc.api.node;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;

/** A VDC as its cloud reports it: allocation and what is used of it. */
public record VdcInfo(String id, String organization, String name, int cpuQuota, long memoryMbQuota,
                      long storageGbQuota, int cpuUsed, long memoryMbUsed, long storageGbUsed) {

    /** Refuses with {@code quota-exceeded}, naming every quota that {@code what} asking this much more would overrun. */
    public void requireRoomFor(String what, int cpus, long memoryMb, long storageGb) {
        StringBuilder over = new StringBuilder();
        if (cpuUsed + cpus > cpuQuota) {
            over.append(" CPUs ").append(cpuUsed).append('+').append(cpus).append(" > ").append(cpuQuota).append(';');
        }
        if (memoryMbUsed + memoryMb > memoryMbQuota) {
            over.append(" memory MB ").append(memoryMbUsed).append('+').append(memoryMb).append(" > ").append(memoryMbQuota).append(';');
        }
        if (storageGbUsed + storageGb > storageGbQuota) {
            over.append(" storage GB ").append(storageGbUsed).append('+').append(storageGb).append(" > ").append(storageGbQuota).append(';');
        }
        if (!over.isEmpty()) {
            throw new VccProblemException(ProblemType.QUOTA_EXCEEDED, what + " does not fit in VDC " + name + ":"
                    + over.substring(0, over.length() - 1));
        }
    }
}
