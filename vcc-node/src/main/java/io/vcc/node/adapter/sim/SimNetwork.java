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

    @Id
    private UUID id;
    @Column(nullable = false)
    private UUID vdcId;
    @Column(nullable = false)
    private String name;
    @Column(nullable = false)
    private String prefix;
    private int nextHost = FIRST_HOST;

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

    String allocateAddress() {
        if (nextHost > LAST_HOST) {
            throw new VccProblemException(ProblemType.CAPACITY_EXHAUSTED, "Network " + name + " has no free addresses left");
        }
        return prefix + "." + nextHost++;
    }

    NetworkInfo toInfo() {
        return new NetworkInfo(id.toString(), vdcId.toString(), name, prefix + ".0/24", prefix + ".1");
    }
}
