package io.vcc.node.adapter.sim;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** A zone of the simulated cloud: its pods' hosts, and the VLAN range its accounts are tagged from. */
@Entity
@Table(name = "sim_zone")
class SimZone {

    @Id
    private UUID id;
    @Column(nullable = false)
    private String name;
    private int vlanFirst;
    private int vlanLast;

    protected SimZone() {
    }

    SimZone(String name, int vlanFirst, int vlanLast) {
        this.id = UUID.randomUUID();
        this.name = name;
        this.vlanFirst = vlanFirst;
        this.vlanLast = vlanLast;
    }

    UUID id() {
        return id;
    }

    String name() {
        return name;
    }

    int vlanFirst() {
        return vlanFirst;
    }

    int vlanLast() {
        return vlanLast;
    }

    void vlans(int first, int last) {
        this.vlanFirst = first;
        this.vlanLast = last;
    }
}
