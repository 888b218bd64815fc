package io.vcc.node.adapter.sim;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** A VM disk: a sparse file of the disk's capacity under the node's data directory. */
@Embeddable
record SimDisk(@Column(name = "idx") int index, long capacityBytes, @Column(nullable = false) String path) {
}
