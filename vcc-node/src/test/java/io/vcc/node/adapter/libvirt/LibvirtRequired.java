package io.vcc.node.adapter.libvirt;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * These tests need libvirt's C library. Without it they are skipped, so {@code ./mvnw verify} works on a
 * machine without libvirt0, unless {@code VCC_REQUIRE_LIBVIRT=1} (CI) makes its absence a failure.
 */
final class LibvirtRequired {

    private LibvirtRequired() {
    }

    static void check() {
        if (LibvirtConnection.available()) {
            return;
        }
        String message = "libvirt.so.0 cannot be loaded (install libvirt0)";
        if ("1".equals(System.getenv("VCC_REQUIRE_LIBVIRT"))) {
            fail(message + " and VCC_REQUIRE_LIBVIRT=1 requires it");
        }
        assumeTrue(false, message + ": skipping the libvirt tests");
    }
}
