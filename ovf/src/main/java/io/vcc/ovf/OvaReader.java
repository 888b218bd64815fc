package io.vcc.ovf;

import io.vcc.ovf.OvfException.Reason;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an OVA (a tar holding one OVF package) in one streaming pass, verifying it on the way.
 *
 * <p>Order, as DSP0243 requires: the descriptor first; the manifest and then the certificate either right
 * after it or after all files. Every other member must be a regular file the descriptor references; links,
 * devices, directories, absolute names and {@code ..} are refused before anything is written. Each file is
 * digested while it streams to the {@link MemberSink}; when the manifest came first a file is checked as
 * soon as it is through, otherwise once the manifest arrives. The certificate, when present, must verify.
 * Thread-safe; each call is independent.
 */
public final class OvaReader {

    private final OvfLimits limits;
    private final PackageOptions options;
    private final OvfDescriptorReader descriptorReader;

    public OvaReader() {
        this(OvfLimits.defaults());
    }

    public OvaReader(OvfLimits limits) {
        this(limits, PackageOptions.defaults());
    }

    public OvaReader(OvfLimits limits, PackageOptions options) {
        this.limits = limits;
        this.options = options;
        this.descriptorReader = new OvfDescriptorReader(limits);
    }

    /**
     * Extracts a verified package into {@code directory} (created if missing; existing files are never
     * overwritten). On any failure the files it created are removed again.
     *
     * @param ova the OVA bytes; read to the end of the archive, not closed
     */
    public OvfPackage extract(InputStream ova, Path directory) throws IOException {
        DirectorySink sink = new DirectorySink(directory);
        try {
            return read(ova, sink);
        } catch (IOException | RuntimeException | Error e) {
            sink.deleteCreated();
            throw e;
        }
    }

    /**
     * Streams every member of the OVA to {@code sink} and verifies the package.
     *
     * @param ova the OVA bytes; read to the end of the archive, not closed
     * @throws OvfException when the package is refused
     * @throws IOException  when {@code ova} itself or the sink fails
     */
    public OvfPackage read(InputStream ova, MemberSink sink) throws IOException {
        return new Session(sink, new TarInput(ova)).run();
    }

    /**
     * Reads only the descriptor at the head of an OVA that may still be arriving (an upload in progress), with
     * the checks {@link #read} makes of it: the first member a regular {@code .ovf} file of a safe name, the
     * XML hostile-safe. Lets a receiver refuse a bad or unimportable package before the rest of it arrives.
     *
     * @param ova       the first {@code available} bytes of the OVA (more are not read); not closed
     * @param available how many bytes of the OVA there are so far
     * @return the descriptor, or empty while the first member is not complete yet
     * @throws OvfException when what is there already is refused
     */
    public Optional<OvfEnvelope> readDescriptor(InputStream ova, long available) throws IOException {
        CountingInput counted = new CountingInput(ova, available);
        Session session = new Session(MemberSink.discarding(), new TarInput(counted));
        try {
            TarArchiveEntry first = session.archive.nextEntry();
            if (first == null) {
                return Optional.empty();
            }
            if (counted.count + first.getSize() > available) {
                session.checkedName(first);
                return Optional.empty();
            }
            return Optional.of(session.descriptor(first));
        } catch (OvfException e) {
            // Running out of the bytes that arrived so far is not a malformed archive, only an early look.
            if (e.reason() == Reason.MALFORMED_ARCHIVE && counted.count >= available) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Reads at most {@code limit} bytes and counts them. */
    private static final class CountingInput extends java.io.FilterInputStream {
        private final long limit;
        private long count;

        CountingInput(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            if (count >= limit) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (count >= limit) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, limit - count));
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, limit - count));
            count += skipped;
            return skipped;
        }
    }

    /** One pass over one archive. */
    private final class Session {
        private final MemberSink sink;
        private final TarInput archive;
        private final byte[] buffer = new byte[Streams.BUFFER_SIZE];

        private String descriptorName;
        private byte[] descriptorBytes;
        private OvfEnvelope envelope;
        private String deploymentOption;
        private final Map<String, FileReference> references = new LinkedHashMap<>();
        private OvfManifest manifest;
        private byte[] manifestBytes;
        private OvfCertificate certificate;
        private final Set<String> seen = new HashSet<>();
        /** DSP0243 allows the manifest at the end; then no file may follow it. */
        private boolean manifestAfterFiles;
        /** Digests of files that arrived before the manifest, checked when it does. */
        private final Map<String, Map<OvfDigestAlgorithm, String>> unverified = new HashMap<>();
        private int members;
        private long totalBytes;

        Session(MemberSink sink, TarInput archive) {
            this.sink = sink;
            this.archive = archive;
        }

        OvfPackage run() throws IOException {
            readDescriptor();
            TarArchiveEntry entry;
            while ((entry = archive.nextEntry()) != null) {
                String name = checkedName(entry);
                if (name.equals(OvfPackage.manifestName(descriptorName))) {
                    readManifest(name, entry);
                } else if (name.equals(OvfPackage.certificateName(descriptorName))) {
                    readCertificate(name, entry);
                } else if (references.containsKey(name)) {
                    readFile(name, entry, references.get(name));
                } else {
                    throw new OvfException(Reason.UNEXPECTED_MEMBER, "member '" + PackagePaths.printable(name)
                            + "' is not referenced by the descriptor");
                }
            }
            return finish();
        }

        private void readDescriptor() throws IOException {
            TarArchiveEntry first = archive.nextEntry();
            if (first == null) {
                throw new OvfException(Reason.MALFORMED_ARCHIVE, "the archive is empty");
            }
            descriptor(first);
            write(descriptorName, descriptorBytes);
        }

        /** Checks and parses the first member, the descriptor, and learns the references from it. */
        private OvfEnvelope descriptor(TarArchiveEntry first) throws IOException {
            String name = checkedName(first);
            if (!name.toLowerCase(Locale.ROOT).endsWith(".ovf")) {
                throw new OvfException(Reason.MEMBER_ORDER, "the first member is '" + PackagePaths.printable(name)
                        + "'; an OVA starts with its .ovf descriptor");
            }
            if (name.contains("/")) {
                throw new OvfException(Reason.UNSUPPORTED, "the descriptor is in a subdirectory");
            }
            descriptorName = name;
            descriptorBytes = readSmall(first, limits.maxDescriptorBytes(), "descriptor");
            OvfDescriptorReader.Chosen chosen = descriptorReader.readChoosing(descriptorBytes, options.deploymentOption());
            envelope = chosen.envelope();
            deploymentOption = chosen.deploymentOption();
            for (FileReference file : envelope.files()) {
                String href = PackagePaths.normalize(file.href());
                if (href.equals(descriptorName) || href.equals(OvfPackage.manifestName(descriptorName))
                        || href.equals(OvfPackage.certificateName(descriptorName))) {
                    throw new OvfException(Reason.MALFORMED_DESCRIPTOR,
                            "References names the package's own descriptor, manifest or certificate");
                }
                references.put(href, file);
            }
            return envelope;
        }

        private void readManifest(String name, TarArchiveEntry entry) throws IOException {
            if (manifest != null) {
                throw new OvfException(Reason.UNEXPECTED_MEMBER, "the manifest appears twice");
            }
            if (certificate != null) {
                throw new OvfException(Reason.MEMBER_ORDER, "the certificate precedes the manifest it signs");
            }
            manifestAfterFiles = !seen.isEmpty();
            manifestBytes = readSmall(entry, limits.maxManifestBytes(), "manifest");
            manifest = OvfManifest.parse(manifestBytes);
            // Refuse an incomplete manifest now, before gigabytes of disks stream to the sink.
            PackageChecks.manifestCoversExactly(manifest, descriptorName, references.keySet());
            manifest.entry(descriptorName).ifPresent(expected ->
                    PackageChecks.digest(expected, digests(descriptorBytes, expected.algorithm())));
            for (Map.Entry<String, Map<OvfDigestAlgorithm, String>> early : unverified.entrySet()) {
                PackageChecks.digest(PackageChecks.listed(manifest, early.getKey()), early.getValue());
            }
            unverified.clear();
            write(name, manifestBytes);
        }

        private void readCertificate(String name, TarArchiveEntry entry) throws IOException {
            if (certificate != null) {
                throw new OvfException(Reason.UNEXPECTED_MEMBER, "the certificate appears twice");
            }
            if (manifest == null) {
                throw new OvfException(Reason.MEMBER_ORDER, "the certificate precedes the manifest it signs");
            }
            byte[] bytes = readSmall(entry, limits.maxCertificateBytes(), "certificate");
            OvfCertificate parsed = OvfCertificate.parse(bytes);
            PackageChecks.certificate(parsed, OvfPackage.manifestName(descriptorName), manifestBytes);
            certificate = parsed;
            write(name, bytes);
        }

        private void readFile(String name, TarArchiveEntry entry, FileReference file) throws IOException {
            if (!seen.add(name)) {
                throw new OvfException(Reason.UNEXPECTED_MEMBER, "'" + PackagePaths.printable(name) + "' appears twice");
            }
            if (manifestAfterFiles) {
                throw new OvfException(Reason.MEMBER_ORDER, "'" + PackagePaths.printable(name) + "' follows a "
                        + "manifest placed after the files");
            }
            long size = entry.getSize();
            if (size > limits.maxFileBytes()) {
                throw new OvfException(Reason.TOO_LARGE, "'" + PackagePaths.printable(name) + "' has " + size
                        + " bytes, more than the limit of " + limits.maxFileBytes());
            }
            totalBytes += size;
            if (totalBytes > limits.maxPackageBytes()) {
                throw new OvfException(Reason.TOO_LARGE, "the package exceeds the limit of "
                        + limits.maxPackageBytes() + " bytes");
            }
            PackageChecks.size(file, size);
            ManifestEntry expected = manifest == null ? null : PackageChecks.listed(manifest, name);
            List<OvfDigestAlgorithm> algorithms = expected == null
                    ? List.of(OvfDigestAlgorithm.values()) : List.of(expected.algorithm());
            Map<OvfDigestAlgorithm, MessageDigest> digests = new EnumMap<>(OvfDigestAlgorithm.class);
            algorithms.forEach(algorithm -> digests.put(algorithm, algorithm.newDigest()));
            try (OutputStream out = sink.open(name, size)) {
                Streams.copy(archive, out, digests.values(), buffer);
            }
            Map<OvfDigestAlgorithm, String> actual = new EnumMap<>(OvfDigestAlgorithm.class);
            digests.forEach((algorithm, digest) -> actual.put(algorithm, Streams.hex(digest.digest())));
            if (expected != null) {
                PackageChecks.digest(expected, actual);
            } else {
                unverified.put(name, actual);
            }
        }

        private OvfPackage finish() {
            if (manifest == null && options.manifestRequired()) {
                throw new OvfException(Reason.MISSING_MANIFEST, "the OVA has no manifest "
                        + OvfPackage.manifestName(descriptorName) + ", so nothing vouches for its files");
            }
            for (String href : references.keySet()) {
                if (!seen.contains(href)) {
                    throw new OvfException(Reason.MISSING_FILE, "referenced file '" + PackagePaths.printable(href)
                            + "' is not in the OVA");
                }
            }
            return new OvfPackage(descriptorName, envelope, manifest, certificate, deploymentOption);
        }

        private String checkedName(TarArchiveEntry entry) {
            if (++members > limits.maxMembers()) {
                throw new OvfException(Reason.TOO_LARGE, "the OVA has more than " + limits.maxMembers() + " members");
            }
            if (!entry.isCheckSumOK()) {
                throw new OvfException(Reason.MALFORMED_ARCHIVE, "tar header checksum mismatch at member "
                        + members);
            }
            byte type = entry.getLinkFlag();
            boolean regular = type == TarConstants.LF_NORMAL || type == TarConstants.LF_OLDNORM
                    || type == TarConstants.LF_CONTIG;
            if (!regular || entry.isDirectory()) {
                throw new OvfException(Reason.UNSAFE_MEMBER, "member '" + PackagePaths.printable(entry.getName())
                        + "' is not a regular file (tar type '" + (char) type + "')");
            }
            if (entry.isSparse()) {
                throw new OvfException(Reason.UNSUPPORTED, "member '" + PackagePaths.printable(entry.getName())
                        + "' is a sparse file");
            }
            return PackagePaths.normalize(entry.getName());
        }

        private byte[] readSmall(TarArchiveEntry entry, long max, String what) throws IOException {
            if (entry.getSize() > max) {
                throw new OvfException(Reason.TOO_LARGE, what + " of " + entry.getSize()
                        + " bytes exceeds the limit of " + max);
            }
            return Streams.readBounded(archive, max, what);
        }

        private void write(String name, byte[] bytes) throws IOException {
            try (OutputStream out = sink.open(name, bytes.length)) {
                out.write(bytes);
            }
        }
    }

    private static Map<OvfDigestAlgorithm, String> digests(byte[] bytes, OvfDigestAlgorithm algorithm) {
        return Map.of(algorithm, Streams.hex(algorithm.newDigest().digest(bytes)));
    }
}
