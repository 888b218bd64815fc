package io.vcc.node.adapter.sim;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** A physical host of a pod: what it can give its VMs. What they hold is counted from the VMs placed on it. */
@Entity
@Table(name = "sim_host")
class SimHost {

    @Id
    private UUID id;
    @Column(nullable = false)
    private UUID podId;
    @Column(nullable = false)
    private String name;
    private int cpus;
    private long memoryMb;
    private long storageGb;

    protected SimHost() {
    }

    SimHost(UUID podId, String name, int cpus, long memoryMb, long storageGb) {
        this.id = UUID.randomUUID();
        this.podId = podId;
        this.name = name;
        resize(cpus, memoryMb, storageGb);
    }

    void resize(int cpus, long memoryMb, long storageGb) {
        this.cpus = cpus;
        this.memoryMb = memoryMb;
        this.storageGb = storageGb;
    }

    UUID id() {
        return id;
    }

    UUID podId() {
        return podId;
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

    long storageGb() {
        return storageGb;
    }
}
