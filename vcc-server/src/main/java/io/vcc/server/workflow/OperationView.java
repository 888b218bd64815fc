package io.vcc.server.workflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An operation (a workflow run) as the API shows it. {@code bytesDone}, {@code bytesTotal}, rate and ETA
 * are the running step's; each step keeps its own byte counts, so a finished operation still shows them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OperationView(UUID id, String type, RunState state, String currentStep, boolean compensating,
                            boolean cancelRequested, long bytesDone, long bytesTotal, Long rateBytesPerSecond,
                            Long etaSeconds, Instant createdAt, Instant startedAt, Instant endedAt, String error,
                            String errorType, Map<String, Object> outputs, List<StepView> steps) {

    public record StepView(String name, StepState state, int attempts, long bytesDone, long bytesTotal, Instant startedAt,
                           Instant endedAt, String error) {
    }
}
