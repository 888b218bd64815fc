package io.vcc.ovf;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds tars member by member, including the hostile members a real tool would never write. */
final class TarBuilder {

    private interface Member {
        void writeTo(TarArchiveOutputStream tar) throws IOException;
    }

    private final List<Member> members = new ArrayList<>();

    TarBuilder file(String name, byte[] content) {
        members.add(tar -> {
            // preserveAbsolutePath: keep names like "/etc/x" exactly as an attacker would write them.
            TarArchiveEntry entry = new TarArchiveEntry(name, true);
            entry.setSize(content.length);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        });
        return this;
    }

    TarBuilder file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    TarBuilder symlink(String name, String target) {
        return link(name, target, TarConstants.LF_SYMLINK);
    }

    TarBuilder hardLink(String name, String target) {
        return link(name, target, TarConstants.LF_LINK);
    }

    TarBuilder directory(String name) {
        members.add(tar -> {
            tar.putArchiveEntry(new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, true));
            tar.closeArchiveEntry();
        });
        return this;
    }

    TarBuilder fifo(String name) {
        return link(name, "", TarConstants.LF_FIFO);
    }

    private TarBuilder link(String name, String target, byte type) {
        members.add(tar -> {
            TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
            entry.setLinkName(target);
            tar.putArchiveEntry(entry);
            tar.closeArchiveEntry();
        });
        return this;
    }

    byte[] build() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Member member : members) {
                member.writeTo(tar);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
