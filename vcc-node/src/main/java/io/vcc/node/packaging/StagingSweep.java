package io.vcc.node.packaging;

import java.util.List;

/**
 * What a feature left in the staging area and can tell is over (a transfer the server could not clean up, an
 * upload nobody writes to any more); the {@link StagingJanitor} runs every one of them on its schedule.
 */
public interface StagingSweep {

    /** What this sweep is of, for the log ("transfers", "uploads"). */
    String what();

    /** Removes what is over, with its reservation; returns the ids removed. */
    List<?> sweep() throws java.io.IOException;
}
