package io.vcc.api.transfer;

/** How much of a file the receiving node has durably committed: the next upload starts there. */
public record CommittedOffset(String file, long committedOffset, long size) {
}
