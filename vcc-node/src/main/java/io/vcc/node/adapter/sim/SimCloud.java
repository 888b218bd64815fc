package io.vcc.node.adapter.sim;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the simulated cloud: how big it is and how long its operations take. Real clouds are slow;
 * a simulation that answers instantly hides races, so every operation waits {@code operationDelay}.
 * {@code operationDelays} sets it for one operation, named as {@link SimFaults} names them
 * ({@code vcc.sim.operation-delays.delete-vm=3s}): a test holds that operation long enough to kill a process in
 * the middle of it, without slowing the rest.
 */
@ConfigurationProperties("vcc.sim")
record SimCloud(
        @DefaultValue("512") int cpus,
        @DefaultValue("2097152") long memoryMb,
        @DefaultValue("100000") long storageGb,
        @DefaultValue("200ms") Duration operationDelay,
        Map<String, Duration> operationDelays) {

    static final long GIB = 1024L * 1024 * 1024;

    SimCloud {
        operationDelays = operationDelays == null ? Map.of() : Map.copyOf(operationDelays);
    }

    void work() {
        pause(operationDelay);
    }

    /** The work of {@code operation}: its own delay, if one is set. */
    void work(String operation) {
        pause(operationDelays.getOrDefault(operation, operationDelay));
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VccProblemException(ProblemType.INTERNAL, "Interrupted while the cloud worked", e);
        }
    }
}
