package io.vcc.node.adapter.sim;

import io.vcc.api.node.NetworkInfo;
import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** An org VDC network: a /24 whose host addresses are handed out in order. */
@Entity
@Table(name = "sim_network")
class SimNetwork {

    private static final int FIRST_HOST = 10;
    private static final int LAST_HOST = 254;
    /** The VMs' MTU on a network no tenant network backs (as {@code vcc.networks.default-mtu}). */
    static final int DEFAULT_MTU = 1400;

    @Id
    private UUID id;
    @Column(nullable = false)
    private UUID vdcId;
    @Column(nullable = false)
    private String name;
    @Column(nullable = false)
    private String prefix;
    private int nextHost = FIRST_HOST;
    private Integer segmentVni;
    private String gateway;
    private String edgeRules;
    private int mtu = DEFAULT_MTU;

    protected SimNetwork() {
    }

    SimNetwork(UUID vdcId, String name, String prefix) {
        this.id = UUID.randomUUID();
        this.vdcId = vdcId;
        this.name = name;
        this.prefix = prefix;
    }

    String name() {
        return name;
    }

    UUID vdcId() {
        return vdcId;
    }

    String prefix() {
        return prefix;
    }

    /** The tenant segment the network is backed by (its NICs are attached to it), null for none. */
    Integer segmentVni() {
        return segmentVni;
    }

    String gateway() {
        return gateway != null ? gateway : prefix + ".1";
    }

    /** The IP MTU of the VMs' interfaces on it. */
    int mtu() {
        return mtu;
    }

    String edgeRules() {
        return edgeRules;
    }

    /** Backs the network by a segment, as a routed network whose edge gateway has these rules (JSON). */
    void routeOnSegment(String prefix, String gateway, int vni, int mtu, String edgeRules) {
        this.prefix = prefix;
        this.gateway = gateway;
        this.segmentVni = vni;
        this.mtu = mtu;
        this.edgeRules = edgeRules;
    }

    String allocateAddress() {
        if (nextHost > LAST_HOST) {
            throw new VccProblemException(ProblemType.CAPACITY_EXHAUSTED, "Network " + name + " has no free addresses left");
        }
        return prefix + "." + nextHost++;
    }

    NetworkInfo toInfo() {
        return new NetworkInfo(id.toString(), vdcId.toString(), name, prefix + ".0/24", gateway());
    }
}
