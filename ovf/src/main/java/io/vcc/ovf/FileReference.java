package io.vcc.ovf;

import java.util.Objects;

/**
 * A {@code References/File}: a file of the package, addressed by a relative {@code href}.
 *
 * @param id          {@code ovf:id}, what disks refer to
 * @param href        path relative to the descriptor; never absolute, never climbing out with {@code ..}
 * @param size        {@code ovf:size} in bytes, or {@code null} when the descriptor does not state it
 * @param compression {@code ovf:compression} (e.g. {@code gzip}) of the file as stored, or {@code null}
 */
public record FileReference(String id, String href, Long size, String compression) {

    public FileReference {
        requireText(id, "file id");
        PackagePaths.checkHref(href);
        if (size != null && size < 0) {
            throw new IllegalArgumentException("file " + id + " has a negative size");
        }
        if (compression != null && (compression.isBlank() || compression.equals("identity"))) {
            compression = null;
        }
    }

    public FileReference(String id, String href, Long size) {
        this(id, href, size, null);
    }

    static void requireText(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " is blank");
        }
    }
}
