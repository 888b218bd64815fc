package io.vcc.node.adapter.sim;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Fault injection: "fail the next N calls of operation X". Tests use it to break the simulated cloud in a
 * known place and check that callers fail cleanly and leave nothing behind.
 */
@Component
public class SimFaults {

    private final Map<String, Integer> pending = new ConcurrentHashMap<>();

    public void failNext(String operation, int times) {
        if (times <= 0) {
            pending.remove(operation);
        } else {
            pending.put(operation, times);
        }
    }

    public void clear() {
        pending.clear();
    }

    public Map<String, Integer> pending() {
        return new TreeMap<>(pending);
    }

    /** Throws when a fault is armed for this operation, and counts it off. */
    public void check(String operation) {
        boolean[] fire = {false};
        pending.computeIfPresent(operation, (op, left) -> {
            fire[0] = true;
            return left > 1 ? left - 1 : null;
        });
        if (fire[0]) {
            throw new VccProblemException(ProblemType.SIMULATED_FAULT, "Simulated failure of " + operation);
        }
    }
}
