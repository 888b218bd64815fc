package io.vcc.node.adapter.sim;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** A VM's NIC; {@code segmentVni} is the tenant segment it is attached to, null for none. */
@Embeddable
record SimNic(@Column(name = "idx") int index, @Column(nullable = false) String network,
              @Column(nullable = false) String mac, String ip, @Column(name = "segment_vni") Integer segmentVni) {

    SimNic withSegment(Integer vni) {
        return new SimNic(index, network, mac, ip, vni);
    }
}
