package io.vcc.server.ha;

/**
 * FAILING_OVER while its workflow runs; HOLDING once the VMs run on the VH; FAILING_BACK while they return;
 * FAILED_BACK when the VH is inactive again. ABORTED: the workflow failed before any VM moved and was undone (the
 * VH is free again). STUCK: it failed after VMs began to move; they run where they are and the VH stays claimed
 * until an operator fails back.
 */
enum FailoverState {
    FAILING_OVER,
    HOLDING,
    FAILING_BACK,
    FAILED_BACK,
    ABORTED,
    STUCK;

    boolean open() {
        return this != FAILED_BACK && this != ABORTED;
    }
}
