package io.vcc.ovf;

import io.vcc.ovf.OvfException.Reason;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.List;

/**
 * Writes a package directory as an OVA: USTAR tar with the descriptor first, then the manifest, the
 * certificate when there is one, then the referenced files in References order, each streamed from disk.
 *
 * <p>Every file is hashed as it is written and checked against the manifest, so a package that would not
 * verify is never shipped whole. Headers carry no wall-clock data (fixed mtime, owner 0), so writing the
 * same package twice yields identical bytes and an interrupted download can resume with HTTP Range.
 * Files beyond 8 GiB, or names beyond USTAR's length, get POSIX (pax) extended headers, which every OVA
 * reader accepts. Thread-safe.
 */
public final class OvaWriter {

    private static final FileTime FIXED_MTIME = FileTime.fromMillis(0);

    private final OvfLimits limits;
    private final OvfDescriptorReader descriptorReader;

    public OvaWriter() {
        this(OvfLimits.defaults());
    }

    public OvaWriter(OvfLimits limits) {
        this.limits = limits;
        this.descriptorReader = new OvfDescriptorReader(limits);
    }

    /**
     * @param descriptor the package's descriptor; its manifest must sit next to it
     * @param out        receives the OVA; flushed, not closed
     */
    public void write(Path descriptor, OutputStream out) throws IOException {
        StagedPackage staged = StagedPackage.read(descriptor, limits, descriptorReader);
        Path directory = staged.directory();
        OvfManifest manifest = staged.manifest();

        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        putSmall(tar, staged.descriptorName(), staged.descriptorBytes());
        putSmall(tar, staged.manifestName(), staged.manifestBytes());
        if (staged.certificateBytes() != null) {
            putSmall(tar, staged.certificateName(), staged.certificateBytes());
        }
        byte[] buffer = new byte[Streams.BUFFER_SIZE];
        for (FileReference file : staged.envelope().files()) {
            String name = PackagePaths.normalize(file.href());
            Path path = OvfPackageVerifier.existing(directory, name, Reason.MISSING_FILE);
            ManifestEntry expected = PackageChecks.listed(manifest, name);
            long size = Files.size(path);
            PackageChecks.size(file, size);
            MessageDigest digest = expected.algorithm().newDigest();
            tar.putArchiveEntry(entry(name, size));
            long copied;
            try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
                copied = Streams.copy(in, tar, List.of(digest), buffer);
            }
            if (copied != size) {
                throw new IOException("'" + name + "' changed size while it was written");
            }
            tar.closeArchiveEntry();
            PackageChecks.digest(expected, Streams.hex(digest.digest()));
        }
        tar.finish();
        out.flush();
    }

    private static void putSmall(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        tar.putArchiveEntry(entry(name, bytes.length));
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    /** A member's header as every OVA of ours has it: fixed mode, owner and time, so that the bytes are stable. */
    static TarArchiveEntry entry(String name, long size) {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(size);
        entry.setMode(0100644);
        entry.setModTime(FIXED_MTIME);
        entry.setIds(0, 0);
        entry.setUserName("");
        entry.setGroupName("");
        return entry;
    }
}
