package io.vcc.api.transfer;

import java.util.List;

/**
 * A node's checkpoint log of one transfer: per file and side, the committed offset and how many chunks
 * are logged; and the VM the transfer imported on this node, if it did.
 */
public record CheckpointLog(String transferId, List<Entry> files, String importedVmId) {

    public record Entry(String side, String file, long size, long committedOffset, int chunksLogged) {
    }
}
