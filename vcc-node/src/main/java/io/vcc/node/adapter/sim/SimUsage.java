package io.vcc.node.adapter.sim;

/** What the VMs of a VDC (or of an organization, or the whole cloud) use. */
record SimUsage(int cpus, long memoryMb, long storageGb) {

    static final SimUsage NONE = new SimUsage(0, 0, 0);

    SimUsage plus(SimUsage other) {
        return new SimUsage(cpus + other.cpus, memoryMb + other.memoryMb, storageGb + other.storageGb);
    }
}
