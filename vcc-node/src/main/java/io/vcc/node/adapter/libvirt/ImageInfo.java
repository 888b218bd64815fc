package io.vcc.node.adapter.libvirt;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@code qemu-img info --output=json} says of a package's disk image, as far as it decides whether the image
 * is safe to convert: converting copies whatever the image refers to, so an image that names any file besides
 * itself (a backing file, a qcow2 external data file, a VMDK extent elsewhere) would copy a host file into the
 * tenant's VM, and one larger than its disk would fill the node past the VDC's quota.
 *
 * @param virtualSize the size of the disk the image holds
 * @param backingFile the backing file it names, or null
 * @param dataFile    the qcow2 external data file it names, or null
 * @param files       every {@code filename} anywhere in the description: the image's own, its VMDK extents',
 *                    and (newer qemu-img) its child nodes'
 * @param encrypted   whether reading it needs a key
 */
record ImageInfo(long virtualSize, String backingFile, String dataFile, List<String> files, boolean encrypted) {

    private static final JsonMapper JSON = JsonMapper.shared();

    static ImageInfo parse(String json) {
        JsonNode root = JSON.readTree(json);
        if (!root.isObject() || !root.path("virtual-size").canConvertToLong()) {
            throw new IllegalArgumentException("no virtual-size");
        }
        String backing = text(root, "full-backing-filename");
        if (backing == null) {
            backing = text(root, "backing-filename");
        }
        List<String> files = new ArrayList<>();
        collectFilenames(root, files);
        return new ImageInfo(root.path("virtual-size").asLong(), backing, text(root.path("format-specific").path("data"), "data-file"),
                List.copyOf(files), root.path("encrypted").asBoolean(false));
    }

    /**
     * Refuses with {@code package-unsafe} an image that names another file than {@code source} (the staged file
     * itself) or holds a disk larger than {@code capacityBytes}, the capacity the package declares for it; with
     * {@code package-unsupported} an encrypted one.
     */
    void requireSafe(Path source, long capacityBytes, String what) {
        if (backingFile != null) {
            throw unsafe(what + " has a backing file (" + backingFile + "); only self-contained images are accepted: "
                    + "flatten it first (qemu-img convert)");
        }
        if (dataFile != null) {
            throw unsafe(what + " keeps its data in an external data file (" + dataFile + "); only self-contained images "
                    + "are accepted: convert it without data_file first");
        }
        Path self = source.toAbsolutePath().normalize();
        for (String file : files) {
            if (!self.equals(resolve(self, file))) {
                throw unsafe(what + " refers to another file (" + file + "); only single-file images are accepted "
                        + "(VMDK: streamOptimized or monolithicSparse)");
            }
        }
        if (virtualSize > capacityBytes) {
            throw unsafe(what + " holds a disk of " + virtualSize + " bytes, larger than the capacity of " + capacityBytes
                    + " bytes the package declares for it");
        }
        if (encrypted) {
            throw new VccProblemException(ProblemType.PACKAGE_UNSUPPORTED, what + " is encrypted; import it decrypted");
        }
    }

    private static Path resolve(Path self, String file) {
        try {
            return self.resolveSibling(file).normalize();
        } catch (RuntimeException notAPath) {
            return null;
        }
    }

    private static void collectFilenames(JsonNode node, List<String> files) {
        if (node.isObject()) {
            for (var property : node.properties()) {
                if (property.getKey().equals("filename")) {
                    files.add(property.getValue().asString());
                } else {
                    collectFilenames(property.getValue(), files);
                }
            }
        } else if (node.isArray()) {
            node.forEach(element -> collectFilenames(element, files));
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static VccProblemException unsafe(String message) {
        return new VccProblemException(ProblemType.PACKAGE_UNSAFE, message);
    }
}
