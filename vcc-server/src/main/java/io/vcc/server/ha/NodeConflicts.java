package io.vcc.server.ha;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.util.function.Supplier;

/**
 * A node answers 409 {@code conflict} ("changed concurrently") when the object a call changes was changed under it
 * meanwhile, e.g. a VM a replication pass or another placement touched. Every HA call is idempotent, so such a
 * call is simply made again after a short pause, a bounded number of times, instead of failing the failover.
 */
final class NodeConflicts {

    static final int ATTEMPTS = 5;

    private NodeConflicts() {
    }

    static <T> T retried(Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (VccProblemException e) {
                if (e.type() != ProblemType.CONFLICT || attempt >= ATTEMPTS) {
                    throw e;
                }
                pause(50L << (attempt - 1));
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to call the node again", e);
        }
    }
}
