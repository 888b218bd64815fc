package io.vcc.node.adapter.sim;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/**
 * A VM disk: a sparse file of the disk's capacity under the node's data directory, or the image an imported
 * package carried, kept as it came with its {@code format} (an {@code ovf:format} URI; null for raw).
 */
@Embeddable
record SimDisk(@Column(name = "idx") int index, long capacityBytes, @Column(nullable = false) String path, String format) {
}
