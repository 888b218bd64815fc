package io.vcc.ovf;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code VirtualSystemCollection}: a vApp of virtual machines and nested collections.
 *
 * @param id       {@code ovf:id}
 * @param name     {@code Name}, or the id when absent
 * @param product  {@code ProductSection}, or {@code null}
 * @param contents members in descriptor order
 */
public record VirtualSystemCollection(String id, String name, ProductInfo product, List<OvfContent> contents)
        implements OvfContent {

    public VirtualSystemCollection {
        FileReference.requireText(id, "collection id");
        if (name == null || name.isBlank()) {
            name = id;
        }
        if (product != null && product.isEmpty()) {
            product = null;
        }
        contents = List.copyOf(contents);
    }

    @Override
    public List<VirtualSystem> virtualSystems() {
        List<VirtualSystem> systems = new ArrayList<>();
        for (OvfContent content : contents) {
            systems.addAll(content.virtualSystems());
        }
        return List.copyOf(systems);
    }
}
