package io.vcc.node;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** The node's feature packages are modules: no cycles, and no reaching into another module's internals. */
class ModularityTests {

    private final ApplicationModules modules = ApplicationModules.of(VccNodeApplication.class);

    @Test
    void modulesRespectTheirBoundaries() {
        modules.verify();
    }
}
