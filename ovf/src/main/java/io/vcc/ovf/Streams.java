package io.vcc.ovf;

import io.vcc.ovf.OvfException.Reason;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.HexFormat;

/** Bounded reads and digesting copies. */
final class Streams {

    /** Large enough that digesting, not per-call overhead, dominates on multi-GiB disks. */
    static final int BUFFER_SIZE = 1 << 20;

    private Streams() {
    }

    /** Reads {@code in} to its end, refusing more than {@code max} bytes without buffering them. */
    static byte[] readBounded(InputStream in, long max, String what) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            total += n;
            if (total > max) {
                throw new OvfException(Reason.TOO_LARGE, what + " exceeds the limit of " + max + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /**
     * Copies {@code in} to {@code out} (which may be {@code null} to only digest), updating every digest.
     *
     * @return the number of bytes copied
     */
    static long copy(InputStream in, OutputStream out, Collection<MessageDigest> digests, byte[] buffer)
            throws IOException {
        long total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            for (MessageDigest digest : digests) {
                digest.update(buffer, 0, n);
            }
            if (out != null) {
                out.write(buffer, 0, n);
            }
            total += n;
        }
        return total;
    }

    /** Digests a whole file with each algorithm in one pass ({@link FileDigester}); refuses links. */
    static FileDigests digest(Path file, Collection<OvfDigestAlgorithm> algorithms) throws IOException {
        Map<OvfDigestAlgorithm, MessageDigest> digests = new EnumMap<>(OvfDigestAlgorithm.class);
        algorithms.forEach(algorithm -> digests.put(algorithm, algorithm.newDigest()));
        long size = FileDigester.digest(file, digests.values());
        Map<OvfDigestAlgorithm, String> hex = new EnumMap<>(OvfDigestAlgorithm.class);
        digests.forEach((algorithm, digest) -> hex.put(algorithm, hex(digest.digest())));
        return new FileDigests(size, hex);
    }

    /** Reads a small package file (descriptor, manifest, certificate), bounded, without following links. */
    static byte[] readBounded(Path file, long max, String what) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return readBounded(in, max, what);
        }
    }

    record FileDigests(long size, Map<OvfDigestAlgorithm, String> hex) {
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
