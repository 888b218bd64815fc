package io.vcc.api.transfer;

/** A node's work for one phase of a transfer: still going (also while it retries a peer), done, or given up. */
public enum JobState {
    RUNNING, DONE, FAILED
}
