package io.vcc.node.adapter.sim.ha;

import io.vcc.api.ha.HaNic;
import io.vcc.api.ha.HaVmInfo;
import io.vcc.api.node.PowerState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/** A customer VM: where it runs, and its NIC (MAC, IP, the tenant's segment and tag), which never change. */
@Entity
@Table(name = "sim_ha_vm")
class SimHaVm {

    @Id
    private UUID id;
    @Column(nullable = false)
    private String tenant;
    @Column(nullable = false)
    private String name;
    @Column(nullable = false)
    private UUID hypervisorId;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private PowerState power;
    private int cpus;
    private long memoryMb;
    @Column(nullable = false)
    private String mac;
    @Column(nullable = false)
    private String ip;
    @Column(nullable = false)
    private String segment;
    private int tag;
    private long diskBytes;
    private Instant replicaAt;
    @Version
    private long version;

    protected SimHaVm() {
    }

    SimHaVm(String tenant, String name, UUID hypervisorId, int cpus, long memoryMb, HaNic nic, long diskBytes) {
        this.id = UUID.randomUUID();
        this.tenant = tenant;
        this.name = name;
        this.hypervisorId = hypervisorId;
        this.power = PowerState.POWERED_ON;
        this.cpus = cpus;
        this.memoryMb = memoryMb;
        this.mac = nic.mac();
        this.ip = nic.ip();
        this.segment = nic.segment();
        this.tag = nic.tag();
        this.diskBytes = diskBytes;
    }

    UUID id() {
        return id;
    }

    UUID hypervisorId() {
        return hypervisorId;
    }

    PowerState power() {
        return power;
    }

    int cpus() {
        return cpus;
    }

    long memoryMb() {
        return memoryMb;
    }

    String ip() {
        return ip;
    }

    int tag() {
        return tag;
    }

    long diskBytes() {
        return diskBytes;
    }

    void powerOff() {
        power = PowerState.POWERED_OFF;
    }

    /** Runs on another hypervisor; MAC, IP, segment and tag go with it unchanged. */
    void runOn(UUID hypervisor) {
        hypervisorId = hypervisor;
        power = PowerState.POWERED_ON;
    }

    HaVmInfo toInfo() {
        return new HaVmInfo(id.toString(), tenant, name, hypervisorId.toString(), power, cpus, memoryMb,
                new HaNic(mac, ip, segment, tag), replicaAt);
    }
}
