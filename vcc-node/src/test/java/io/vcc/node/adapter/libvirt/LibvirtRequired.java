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
        System.out.println("Skipping: " + message + ": skipping the libvirt tests");
        assumeTrue(false, message + ": skipping the libvirt tests");
    }

    /** The same for {@code qemu-img}, which makes packages' VMDK disks raw images (Debian: qemu-utils). */
    static void qemuImg() {
        try {
            if (new ProcessBuilder("qemu-img", "--version").redirectErrorStream(true).start().waitFor() == 0) {
                return;
            }
        } catch (java.io.IOException notInstalled) {
            // handled below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String message = "qemu-img cannot run (install qemu-utils)";
        if ("1".equals(System.getenv("VCC_REQUIRE_LIBVIRT"))) {
            fail(message + " and VCC_REQUIRE_LIBVIRT=1 requires it");
        }
        System.out.println("Skipping: " + message + ": skipping this test");
        assumeTrue(false, message + ": skipping this test");
    }
}
