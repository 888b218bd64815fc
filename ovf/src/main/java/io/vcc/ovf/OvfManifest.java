package io.vcc.ovf;

import io.vcc.ovf.OvfException.Reason;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OVF manifest ({@code .mf}): one digest per file. Reads {@code SHA1}, {@code SHA256} and {@code SHA512}
 * lines with the spacing variants real tools emit ({@code SHA256(a)= x}, {@code SHA1 (a) = x}); writes
 * {@code SHA256(a)= x}, as ovftool does.
 */
public record OvfManifest(List<ManifestEntry> entries) {

    /** Algorithm, then the name up to the last ")" before "=", so names may themselves contain parentheses. */
    static final Pattern LINE = Pattern.compile("^\\s*([A-Za-z0-9]+)\\s*\\((.+)\\)\\s*=\\s*([0-9A-Fa-f]+)\\s*$");

    public OvfManifest {
        entries = List.copyOf(entries);
        Set<String> names = new HashSet<>();
        for (ManifestEntry entry : entries) {
            if (!names.add(entry.fileName())) {
                throw new OvfException(Reason.MALFORMED_MANIFEST,
                        "manifest lists '" + PackagePaths.printable(entry.fileName()) + "' twice");
            }
        }
    }

    public static OvfManifest parse(byte[] manifest) {
        String text = decode(manifest, Reason.MALFORMED_MANIFEST, "manifest");
        List<ManifestEntry> entries = new ArrayList<>();
        int lineNumber = 0;
        for (String line : text.split("\r?\n")) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            entries.add(parseLine(line, Reason.MALFORMED_MANIFEST, "manifest line " + lineNumber));
        }
        return new OvfManifest(entries);
    }

    /** The entry for {@code fileName} (compared in normalized form). */
    public Optional<ManifestEntry> entry(String fileName) {
        String normalized = PackagePaths.normalize(fileName);
        return entries.stream().filter(e -> e.fileName().equals(normalized)).findFirst();
    }

    /** The manifest file's bytes; what a certificate signs. */
    public byte[] toBytes() {
        StringBuilder out = new StringBuilder();
        entries.forEach(entry -> out.append(entry.line()));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    static ManifestEntry parseLine(String line, Reason reason, String where) {
        Matcher matcher = LINE.matcher(line);
        if (!matcher.matches()) {
            throw new OvfException(reason, where + " is not 'ALGORITHM(file)= hex'");
        }
        OvfDigestAlgorithm algorithm = OvfDigestAlgorithm.ofManifestName(matcher.group(1)).orElseThrow(() ->
                new OvfException(Reason.UNSUPPORTED, where + " uses digest '"
                        + PackagePaths.printable(matcher.group(1)) + "'; SHA1, SHA256 and SHA512 are supported"));
        try {
            return new ManifestEntry(algorithm, matcher.group(2).strip(), matcher.group(3));
        } catch (OvfException e) {
            throw e.reason() == Reason.MALFORMED_MANIFEST ? new OvfException(reason, e.detail()) : e;
        }
    }

    /** Strict UTF-8 (which covers ASCII): a file name in broken encoding could not be matched reliably. */
    static String decode(byte[] bytes, Reason reason, String what) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            // Windows tools may prepend a byte order mark.
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new OvfException(reason, what + " is not UTF-8 text");
        }
    }
}
