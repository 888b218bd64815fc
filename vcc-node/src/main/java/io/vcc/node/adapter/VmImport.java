package io.vcc.node.adapter;

import java.nio.file.Path;
import java.util.List;

/**
 * A VM to create from an imported package: its hardware, its disks as image files the adapter takes
 * over (they stay where they are until the adapter has its own copy or link), and its NICs. A NIC's
 * {@code mac} is kept when set and free in this cloud; {@code null} asks for a new one. A network the
 * VDC does not have is replaced by the VDC's default network.
 *
 * <p>{@code importKey} names the import the VM comes from (a transfer's or an upload's id; null for none): a
 * hypervisor that cannot roll its VMs back with the caller's transaction marks them with it, so that what an
 * attempt left uncommitted can be found again ({@link HypervisorAdapter#discardImport}).
 */
public record VmImport(String name, int cpus, long memoryMb, List<Disk> disks, List<Nic> nics, String importKey) {

    public VmImport {
        disks = List.copyOf(disks);
        nics = List.copyOf(nics);
    }

    /** A disk; {@code format} is its image's {@code ovf:format} URI as the package declares it, null for raw or blank. */
    public record Disk(int index, long capacityBytes, Path image, String format) {
    }

    public record Nic(int index, String network, String mac) {
    }
}
