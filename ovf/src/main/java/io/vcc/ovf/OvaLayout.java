package io.vcc.ovf;

import io.vcc.ovf.OvfException.Reason;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The OVA of a package directory as a computed layout: every tar header and padding is known up front and
 * every file is served from where it lies, so any byte range of the OVA can be written without producing
 * the bytes before it. The bytes are exactly those {@link OvaWriter} writes for the same directory
 * (descriptor, manifest, certificate, then the referenced files in References order; fixed mtime and
 * owner; POSIX headers for long names and large files; end-of-archive records padded to the tar block),
 * which is what makes an interrupted download resumable with HTTP {@code Range}.
 *
 * <p>Building a layout reads the descriptor, manifest and certificate and checks their consistency, but
 * does not hash the files: that is for a package this node made and already verified (an export), whose
 * files do not change while it is served. {@link #etag()} derives from the manifest, which holds every
 * file's digest. Immutable and thread-safe.
 */
public final class OvaLayout {

    private static final int RECORD = 512;
    /** The tar block {@link OvaWriter}'s stream pads the archive to: commons-compress's default, one record. */
    private static final int BLOCK = RECORD;

    /** A stretch of the OVA: literal bytes (headers, small members, padding) or a whole file from disk. */
    private record Segment(long offset, long length, byte[] bytes, Path file) {
    }

    private final List<Segment> segments;
    private final long length;
    private final String etag;

    private OvaLayout(List<Segment> segments, long length, String etag) {
        this.segments = List.copyOf(segments);
        this.length = length;
        this.etag = etag;
    }

    /** The layout of the package whose descriptor is {@code descriptor} (its manifest sits beside it). */
    public static OvaLayout of(Path descriptor) throws IOException {
        OvfLimits limits = OvfLimits.defaults();
        StagedPackage staged = StagedPackage.read(descriptor, limits, new OvfDescriptorReader(limits));
        Path directory = staged.directory();
        byte[] manifestBytes = staged.manifestBytes();
        byte[] certificateBytes = staged.certificateBytes();

        Builder builder = new Builder();
        builder.small(staged.descriptorName(), staged.descriptorBytes());
        builder.small(staged.manifestName(), manifestBytes);
        if (certificateBytes != null) {
            builder.small(staged.certificateName(), certificateBytes);
        }
        for (FileReference file : staged.envelope().files()) {
            String name = PackagePaths.normalize(file.href());
            Path path = OvfPackageVerifier.existing(directory, name, Reason.MISSING_FILE);
            long size = Files.size(path);
            PackageChecks.size(file, size);
            builder.file(name, path, size);
        }
        MessageDigest digest = OvfDigestAlgorithm.SHA256.newDigest();
        digest.update(manifestBytes);
        if (certificateBytes != null) {
            digest.update(certificateBytes);
        }
        return builder.finish("\"" + Streams.hex(digest.digest()) + "\"");
    }

    /** The OVA's size in bytes. */
    public long length() {
        return length;
    }

    /** A strong HTTP entity tag (quoted): the SHA-256 of the manifest (and certificate), so of every file's digest. */
    public String etag() {
        return etag;
    }

    /** Writes {@code count} bytes of the OVA from {@code start}; flushes, does not close. */
    public void write(OutputStream out, long start, long count) throws IOException {
        if (start < 0 || count < 0 || start + count > length) {
            throw new IllegalArgumentException("bytes " + start + "+" + count + " are not within the OVA's " + length);
        }
        WritableByteChannel channel = Channels.newChannel(out);
        long end = start + count;
        for (Segment segment : segments) {
            long from = Math.max(start, segment.offset());
            long to = Math.min(end, segment.offset() + segment.length());
            if (from >= to) {
                continue;
            }
            long within = from - segment.offset();
            if (segment.bytes() != null) {
                out.write(segment.bytes(), (int) within, (int) (to - from));
            } else if (segment.file() == null) {
                writeZeros(out, to - from);
            } else {
                try (FileChannel in = FileChannel.open(segment.file(), StandardOpenOption.READ)) {
                    long sent = 0;
                    while (sent < to - from) {
                        long n = in.transferTo(within + sent, to - from - sent, channel);
                        if (n <= 0 && in.size() < within + (to - from)) {
                            throw new IOException("'" + segment.file().getFileName() + "' shrank while it was served");
                        }
                        sent += n;
                    }
                }
            }
        }
        out.flush();
    }

    private static void writeZeros(OutputStream out, long count) throws IOException {
        byte[] zeros = new byte[(int) Math.min(count, 64 * 1024)];
        for (long left = count; left > 0; left -= zeros.length) {
            out.write(zeros, 0, (int) Math.min(zeros.length, left));
        }
    }

    /** Lays segments end to end. */
    private static final class Builder {
        private final List<Segment> segments = new ArrayList<>();
        private long offset;

        void small(String name, byte[] bytes) throws IOException {
            literal(header(name, bytes.length));
            literal(bytes);
            padding(bytes.length);
        }

        void file(String name, Path path, long size) throws IOException {
            literal(header(name, size));
            segments.add(new Segment(offset, size, null, path));
            offset += size;
            padding(size);
        }

        OvaLayout finish(String etag) {
            zeros(2L * RECORD);
            long rest = offset % BLOCK;
            if (rest != 0) {
                zeros(BLOCK - rest);
            }
            return new OvaLayout(segments, offset, etag);
        }

        private void padding(long size) {
            long rest = size % RECORD;
            if (rest != 0) {
                zeros(RECORD - rest);
            }
        }

        private void literal(byte[] bytes) {
            if (bytes.length > 0) {
                segments.add(new Segment(offset, bytes.length, bytes, null));
                offset += bytes.length;
            }
        }

        private void zeros(long count) {
            segments.add(new Segment(offset, count, null, null));
            offset += count;
        }

        /**
         * The header records (with a pax header first where {@link OvaWriter} needs one) exactly as its tar
         * stream writes them: a tar stream of one-record blocks hands each record straight through.
         */
        private static byte[] header(String name, long size) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(RECORD * 2);
            TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, RECORD, StandardCharsets.UTF_8.name());
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
            tar.putArchiveEntry(OvaWriter.entry(name, size));
            tar.flush();
            // The stream is dropped unfinished on purpose: only its header records are wanted.
            return bytes.toByteArray();
        }
    }
}
