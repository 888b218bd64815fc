package io.vcc.node.adapter.sim;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

@Entity
@Table(name = "sim_vapp")
class SimVapp {

    @Id
    private UUID id;
    @Column(nullable = false)
    private UUID vdcId;
    @Column(nullable = false)
    private String name;
    private boolean template;

    protected SimVapp() {
    }

    SimVapp(UUID vdcId, String name) {
        this(vdcId, name, false);
    }

    SimVapp(UUID vdcId, String name, boolean template) {
        this.id = UUID.randomUUID();
        this.vdcId = vdcId;
        this.name = name;
        this.template = template;
    }

    boolean template() {
        return template;
    }

    UUID id() {
        return id;
    }

    UUID vdcId() {
        return vdcId;
    }

    String name() {
        return name;
    }
}
