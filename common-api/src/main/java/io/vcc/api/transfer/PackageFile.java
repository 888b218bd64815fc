package io.vcc.api.transfer;

import java.util.List;

/**
 * One file of an OVF package as the source exported it: its size, its SHA-256 and the SHA-256 of each
 * chunk of {@code chunkSize} bytes (the last one may be shorter). Receivers check every chunk against
 * {@code chunkSha256} before they commit it, and the whole file against {@code sha256}.
 */
public record PackageFile(String name, long size, String sha256, int chunkSize, List<String> chunkSha256) {

    public PackageFile {
        chunkSha256 = chunkSha256 == null ? List.of() : List.copyOf(chunkSha256);
    }

    public int chunks() {
        return chunkSha256.size();
    }

    public long chunkOffset(int index) {
        return (long) index * chunkSize;
    }

    public int chunkLength(int index) {
        return (int) Math.min(chunkSize, size - chunkOffset(index));
    }
}
