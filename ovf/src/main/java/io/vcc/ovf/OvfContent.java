package io.vcc.ovf;

import java.util.List;

/** The content of an envelope: one {@link VirtualSystem} or a {@link VirtualSystemCollection} (a vApp). */
public sealed interface OvfContent permits VirtualSystem, VirtualSystemCollection {

    /** {@code ovf:id}, unique within the envelope. */
    String id();

    /** {@code Name}; the id when the descriptor gives no name. */
    String name();

    /** The {@code ProductSection}, or {@code null}. */
    ProductInfo product();

    /** Every virtual machine in this content, depth first in descriptor order. */
    List<VirtualSystem> virtualSystems();
}
