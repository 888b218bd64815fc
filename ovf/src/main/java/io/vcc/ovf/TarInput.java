package io.vcc.ovf;

import io.vcc.ovf.OvfException.Reason;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A tar stream whose own complaints (truncation, corrupt headers) become {@link Reason#MALFORMED_ARCHIVE},
 * while failures of the caller's stream (a cut connection) stay {@link IOException}s, so a transfer can tell
 * "resume later" from "this package is bad". Reading returns the current member's bytes.
 */
final class TarInput extends FilterInputStream {

    private final TarArchiveInputStream tar;
    private final SourceGuard source;

    TarInput(InputStream ova) {
        this(new SourceGuard(ova));
    }

    private TarInput(SourceGuard source) {
        this(new TarArchiveInputStream(source, StandardCharsets.UTF_8.name()), source);
    }

    private TarInput(TarArchiveInputStream tar, SourceGuard source) {
        super(tar);
        this.tar = tar;
        this.source = source;
    }

    /** The next member, or {@code null} at the end of the archive. */
    TarArchiveEntry nextEntry() throws IOException {
        try {
            return tar.getNextEntry();
        } catch (IOException | IllegalArgumentException e) {
            throw sourceFailureOrRefusal(e);
        }
    }

    @Override
    public int read() throws IOException {
        try {
            return tar.read();
        } catch (IOException e) {
            throw sourceFailureOrRefusal(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return tar.read(b, off, len);
        } catch (IOException e) {
            throw sourceFailureOrRefusal(e);
        }
    }

    @Override
    public void close() {
        // The caller owns the underlying stream.
    }

    /** The caller's own I/O failure to rethrow as is; anything else the tar reader raised is a bad archive. */
    private IOException sourceFailureOrRefusal(Exception e) {
        if (e instanceof IOException io && source.caused(io)) {
            return io;
        }
        throw new OvfException(Reason.MALFORMED_ARCHIVE, "unreadable tar: " + e.getMessage(), e);
    }

    /** Remembers the last failure of the caller's stream. */
    private static final class SourceGuard extends FilterInputStream {
        private IOException failure;

        SourceGuard(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return super.skip(n);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        boolean caused(IOException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t == failure) {
                    return true;
                }
            }
            return false;
        }
    }
}
