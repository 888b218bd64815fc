package io.vcc.node.adapter.sim;

import io.vcc.api.node.DiskInfo;
import io.vcc.api.node.NicInfo;
import io.vcc.api.node.PowerState;
import io.vcc.api.node.VmInfo;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderBy;
import jakarta.persistence.PrePersist;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

@Entity
@Table(name = "sim_vm")
class SimVm {

    @Id
    private UUID id;
    @Column(nullable = false)
    private UUID vdcId;
    @Column(nullable = false)
    private UUID vappId;
    @Column(nullable = false)
    private String name;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private PowerState state = PowerState.POWERED_OFF;
    private int cpus;
    private long memoryMb;
    private boolean template;
    private UUID hostId;
    private String antiAffinityGroup;
    @Column(nullable = false)
    private Instant createdAt;
    @Version
    private long version;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "sim_vm_disk", joinColumns = @JoinColumn(name = "vm_id"))
    @OrderBy("index")
    private List<SimDisk> disks = new ArrayList<>();

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "sim_vm_nic", joinColumns = @JoinColumn(name = "vm_id"))
    @OrderBy("index")
    private List<SimNic> nics = new ArrayList<>();

    protected SimVm() {
    }

    SimVm(UUID id, UUID vdcId, UUID vappId, String name, int cpus, long memoryMb, Instant createdAt) {
        this.id = id;
        this.vdcId = vdcId;
        this.vappId = vappId;
        this.name = name;
        this.cpus = cpus;
        this.memoryMb = memoryMb;
        this.createdAt = createdAt;
    }

    UUID id() {
        return id;
    }

    UUID vdcId() {
        return vdcId;
    }

    UUID vappId() {
        return vappId;
    }

    String name() {
        return name;
    }

    int cpus() {
        return cpus;
    }

    long memoryMb() {
        return memoryMb;
    }

    boolean template() {
        return template;
    }

    /** Marks the VM as part of a vApp template: it cannot run and holds only storage. */
    SimVm asTemplate() {
        this.template = true;
        return this;
    }

    Instant createdAt() {
        return createdAt;
    }

    UUID hostId() {
        return hostId;
    }

    String antiAffinityGroup() {
        return antiAffinityGroup;
    }

    /** Only {@link SimPlacement} places a VM. */
    void placeOn(UUID hostId, String antiAffinityGroup) {
        this.hostId = hostId;
        this.antiAffinityGroup = antiAffinityGroup;
    }

    /** A guard for every way of making a VM: one that runs must have been placed on a host (through SimPlacement). */
    @PrePersist
    void requirePlacement() {
        if (!template && hostId == null) {
            throw new IllegalStateException("VM " + name + " would be created on no host; create VMs through SimPlacement");
        }
    }

    PowerState state() {
        return state;
    }

    void power(PowerState state) {
        this.state = state;
    }

    List<SimDisk> disks() {
        return disks;
    }

    List<SimNic> nics() {
        return nics;
    }

    SimUsage usage() {
        long bytes = disks.stream().mapToLong(SimDisk::capacityBytes).sum();
        long storageGb = (bytes + SimCloud.GIB - 1) / SimCloud.GIB;
        return template ? new SimUsage(0, 0, storageGb) : new SimUsage(cpus, memoryMb, storageGb);
    }

    VmInfo toInfo() {
        return new VmInfo(id.toString(), vdcId.toString(), vappId.toString(), name, state, cpus, memoryMb,
                disks.stream().map(d -> new DiskInfo(id + "-disk-" + d.index(), d.index(), d.capacityBytes(), d.format())).toList(),
                nics.stream().map(n -> new NicInfo(n.index(), n.network(), n.mac(), n.ip())).toList());
    }
}
