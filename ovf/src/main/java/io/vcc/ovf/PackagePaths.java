package io.vcc.ovf;

import io.vcc.ovf.OvfException.Reason;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Names of files inside a package (hrefs, OVA member names) and their safe mapping onto a directory.
 * One rule for both, so nothing an archive can name is something a descriptor could not, and vice versa.
 */
final class PackagePaths {

    private static final int MAX_NAME_LENGTH = 1024;
    private static final Pattern URI_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:.*", Pattern.DOTALL);

    private PackagePaths() {
    }

    /** Checks a {@code References/File/@ovf:href}: a relative path inside the package. */
    static void checkHref(String href) {
        if (href == null || href.isBlank()) {
            throw new OvfException(Reason.MALFORMED_DESCRIPTOR, "a file reference has no href");
        }
        if (URI_SCHEME.matcher(href).matches()) {
            // http:, file:, nfs: ... would make the importer fetch something the manifest cannot vouch for.
            throw new OvfException(Reason.UNSUPPORTED, "href '" + printable(href)
                    + "' is a URL; only files inside the package are supported");
        }
        normalize(href);
    }

    /**
     * The canonical relative form of a name: segments joined by {@code /}, {@code .} segments dropped.
     * Refuses absolute paths, drive letters, backslashes, {@code ..}, empty segments (so no directories)
     * and control characters.
     */
    static String normalize(String name) {
        if (name == null || name.isEmpty()) {
            throw new OvfException(Reason.PATH_TRAVERSAL, "empty file name");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new OvfException(Reason.PATH_TRAVERSAL, "file name longer than " + MAX_NAME_LENGTH);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                throw new OvfException(Reason.PATH_TRAVERSAL,
                        "file name '" + printable(name) + "' contains a control character or a backslash");
            }
        }
        if (name.startsWith("/") || (name.length() >= 2 && name.charAt(1) == ':')) {
            throw new OvfException(Reason.PATH_TRAVERSAL, "file name '" + printable(name) + "' is absolute");
        }
        StringJoiner joined = new StringJoiner("/");
        String[] segments = name.split("/", -1);
        for (String segment : segments) {
            if (segment.equals("..")) {
                throw new OvfException(Reason.PATH_TRAVERSAL, "file name '" + printable(name) + "' climbs out with ..");
            }
            if (segment.isEmpty()) {
                throw new OvfException(Reason.PATH_TRAVERSAL,
                        "file name '" + printable(name) + "' has an empty segment or names a directory");
            }
            if (!segment.equals(".")) {
                joined.add(segment);
            }
        }
        String normalized = joined.toString();
        if (normalized.isEmpty()) {
            throw new OvfException(Reason.PATH_TRAVERSAL, "file name '" + printable(name) + "' names no file");
        }
        return normalized;
    }

    /**
     * The path of {@code name} under {@code root}. Refuses names that escape {@code root}, and existing
     * symbolic links on the way, which could otherwise redirect a write or a read outside the package.
     */
    static Path resolve(Path root, String name) {
        String normalized = normalize(name);
        Path base = root.toAbsolutePath().normalize();
        Path resolved = base.resolve(normalized).normalize();
        if (!resolved.startsWith(base) || resolved.equals(base)) {
            throw new OvfException(Reason.PATH_TRAVERSAL, "file name '" + printable(name) + "' escapes the package");
        }
        for (Path step = resolved; step != null && !step.equals(base); step = step.getParent()) {
            if (Files.isSymbolicLink(step)) {
                throw new OvfException(Reason.PATH_TRAVERSAL,
                        "file name '" + printable(name) + "' passes through a symbolic link");
            }
        }
        return resolved;
    }

    /** The base name of a descriptor, for its sibling manifest and certificate ({@code a/b.ovf} is {@code a/b}). */
    static String baseName(String descriptorName) {
        int dot = descriptorName.lastIndexOf('.');
        int slash = descriptorName.lastIndexOf('/');
        return dot > slash ? descriptorName.substring(0, dot) : descriptorName;
    }

    /** Keeps hostile names from forging log lines or terminal escapes when echoed in a message. */
    static String printable(String name) {
        StringBuilder out = new StringBuilder(Math.min(name.length(), 200));
        for (int i = 0; i < name.length() && i < 200; i++) {
            char c = name.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        if (name.length() > 200) {
            out.append("...");
        }
        return out.toString();
    }
}
