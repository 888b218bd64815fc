package io.vcc.node.adapter.sim;

import io.vcc.api.problem.ProblemType;
import io.vcc.api.problem.VccProblemException;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the simulated cloud: how big it is and how long its operations take. Real clouds are slow;
 * a simulation that answers instantly hides races, so every operation waits {@code operationDelay}.
 */
@ConfigurationProperties("vcc.sim")
record SimCloud(
        @DefaultValue("512") int cpus,
        @DefaultValue("2097152") long memoryMb,
        @DefaultValue("100000") long storageGb,
        @DefaultValue("200ms") Duration operationDelay) {

    static final long GIB = 1024L * 1024 * 1024;

    void work() {
        try {
            Thread.sleep(operationDelay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VccProblemException(ProblemType.INTERNAL, "Interrupted while the cloud worked", e);
        }
    }
}
