package io.vcc.api.transfer;

import java.util.List;

/**
 * Where a node is with one phase of a transfer. {@code bytesOnWire} counts every byte this node sent or
 * received for the phase since it (re)started it, including chunks it had to send again; {@code error}
 * holds the last failure, also one the node is still retrying ({@code state} RUNNING). {@code files} is the
 * exported package (export), {@code importedId} the imported VM, vApp or
 * template (import).
 */
public record TransferJobStatus(String phase, JobState state, long bytesDone, long bytesTotal, long bytesOnWire,
                                int chunksResent, String error, String errorType, List<PackageFile> files,
                                String importedId) {

    public TransferJobStatus {
        files = files == null ? List.of() : List.copyOf(files);
    }
}
