package io.vcc.ovf;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where {@link OvaReader} streams each member of an OVA (descriptor, manifest, certificate, then files),
 * so that disks never sit in memory. A member is only handed over after its name passed the path checks
 * and, when the manifest came first, after it was found in the manifest; its digest is checked once its
 * bytes are through, so a consumer that acts on bytes before {@link OvaReader#read} returns must be able
 * to discard them.
 */
@FunctionalInterface
public interface MemberSink {

    /**
     * Opens the destination of one member. The reader closes the stream when the member's bytes are written.
     *
     * @param name normalized relative name, safe to map onto a file system
     * @param size the member's size from its tar header
     */
    OutputStream open(String name, long size) throws IOException;

    /** A sink that keeps nothing: for verifying an OVA without extracting it. */
    static MemberSink discarding() {
        return (name, size) -> OutputStream.nullOutputStream();
    }
}
