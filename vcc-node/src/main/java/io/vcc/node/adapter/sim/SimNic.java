package io.vcc.node.adapter.sim;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

@Embeddable
record SimNic(@Column(name = "idx") int index, @Column(nullable = false) String network,
              @Column(nullable = false) String mac, String ip) {
}
