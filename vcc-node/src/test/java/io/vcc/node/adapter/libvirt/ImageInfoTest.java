package io.vcc.node.adapter.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The decision on {@code qemu-img info}'s description, on descriptions qemu-img 7.2 printed for such images (and
 * newer qemu-img's child nodes): it needs no qemu-img, so it runs on every machine.
 */
class ImageInfoTest {

    private static final Path STAGED = Path.of("/staging/uploads/u1/package/disk1.img");
    private static final long MIB = 1L << 20;

    @Test
    void aSelfContainedImageNoLargerThanItsDiskPasses() {
        ImageInfo info = ImageInfo.parse("""
                {"virtual-size": 1048576, "filename": "/staging/uploads/u1/package/disk1.img", "format": "vmdk",
                 "format-specific": {"type": "vmdk", "data": {"create-type": "streamOptimized",
                   "extents": [{"virtual-size": 1048576, "filename": "/staging/uploads/u1/package/disk1.img"}]}}}
                """);

        assertThatCode(() -> info.requireSafe(STAGED, MIB, "Disk 0")).doesNotThrowAnyException();
    }

    @Test
    void aBackingFileIsUnsafe() {
        assertUnsafe("""
                {"virtual-size": 1048576, "filename": "/staging/uploads/u1/package/disk1.img", "format": "qcow2",
                 "backing-filename": "../../../etc/passwd", "full-backing-filename": "/etc/passwd"}
                """, "backing file (/etc/passwd)");
    }

    @Test
    void anExternalDataFileIsUnsafe() {
        assertUnsafe("""
                {"virtual-size": 1048576, "filename": "/staging/uploads/u1/package/disk1.img", "format": "qcow2",
                 "format-specific": {"type": "qcow2", "data": {"data-file": "/proc/self/environ", "data-file-raw": true}}}
                """, "external data file (/proc/self/environ)");
    }

    @Test
    void anExtentOrChildNodeNamingAnotherFileIsUnsafe() {
        assertUnsafe("""
                {"virtual-size": 1048576, "filename": "/staging/uploads/u1/package/disk1.img", "format": "vmdk",
                 "format-specific": {"type": "vmdk", "data": {"create-type": "monolithicFlat",
                   "extents": [{"virtual-size": 1048576, "filename": "/var/lib/postgresql/base/1/1259", "format": "FLAT"}]}}}
                """, "another file (/var/lib/postgresql/base/1/1259)");
        assertUnsafe("""
                {"virtual-size": 1048576, "filename": "/staging/uploads/u1/package/disk1.img", "format": "vmdk",
                 "children": [{"name": "file", "info": {"filename": "/staging/uploads/u1/package/disk1.img"}},
                              {"name": "extents.1", "info": {"filename": "other-tenant.img"}}]}
                """, "another file (other-tenant.img)");
    }

    @Test
    void aDiskLargerThanItsDeclaredCapacityIsUnsafe() {
        assertUnsafe("""
                {"virtual-size": 1099511627776, "filename": "/staging/uploads/u1/package/disk1.img", "format": "qcow2"}
                """, "1099511627776 bytes, larger than the capacity of 1048576 bytes");
    }

    @Test
    void anEncryptedImageIsUnsupported() {
        ImageInfo info = ImageInfo.parse("""
                {"virtual-size": 1048576, "filename": "/staging/uploads/u1/package/disk1.img", "format": "qcow2", "encrypted": true}
                """);

        assertThatThrownBy(() -> info.requireSafe(STAGED, MIB, "Disk 0")).isInstanceOfSatisfying(VccProblemException.class,
                problem -> assertThat(problem.type()).isEqualTo(ProblemType.PACKAGE_UNSUPPORTED));
    }

    @Test
    void aDescriptionWithoutAVirtualSizeIsNoDescription() {
        assertThatThrownBy(() -> ImageInfo.parse("{\"filename\": \"x\"}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageInfo.parse("qemu-img: not json")).isInstanceOf(RuntimeException.class);
    }

    private static void assertUnsafe(String json, String reason) {
        ImageInfo info = ImageInfo.parse(json);
        assertThatThrownBy(() -> info.requireSafe(STAGED, MIB, "Disk 0")).isInstanceOfSatisfying(VccProblemException.class, problem -> {
            assertThat(problem.type()).isEqualTo(ProblemType.PACKAGE_UNSAFE);
            assertThat(problem.getMessage()).contains(reason);
        });
    }
}
