package io.vcc.api.transfer;

import java.util.List;

/**
 * A node's checkpoint log of one transfer: per file and side, the committed offset and how many chunks
 * are logged; and what the transfer imported on this node (VM, vApp or template id), if it did.
 */
public record CheckpointLog(String transferId, List<Entry> files, String importedId) {

    public record Entry(String side, String file, long size, long committedOffset, int chunksLogged) {
    }
}
