package io.vcc.server.transfer;

/** COPY leaves the source VM and gives the copy new MACs; MOVE keeps the MACs and removes the source once the target has it. */
public enum TransferMode {
    COPY, MOVE
}
