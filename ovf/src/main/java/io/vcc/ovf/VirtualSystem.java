package io.vcc.ovf;

import java.util.List;
import java.util.Objects;

/**
 * A {@code VirtualSystem}: one virtual machine.
 *
 * @param id       {@code ovf:id}
 * @param name     {@code Name}, or the id when absent
 * @param product  {@code ProductSection}, or {@code null}
 * @param os       {@code OperatingSystemSection}, or {@code null}
 * @param hardware the virtual hardware
 */
public record VirtualSystem(String id, String name, ProductInfo product, GuestOs os, VirtualHardware hardware)
        implements OvfContent {

    public VirtualSystem {
        FileReference.requireText(id, "virtual system id");
        if (name == null || name.isBlank()) {
            name = id;
        }
        if (product != null && product.isEmpty()) {
            product = null;
        }
        Objects.requireNonNull(hardware, "virtual hardware of " + id);
    }

    @Override
    public List<VirtualSystem> virtualSystems() {
        return List.of(this);
    }
}
