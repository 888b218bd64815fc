package io.vcc.server.workflow;

/** Where an operation is: waiting for a slot, running (also while it undoes its steps), or finished. */
public enum RunState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
