package io.vcc.server.workflow;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/** What a step sees of its run: the parameters, earlier steps' results, and where to report progress and outputs. */
public final class StepContext {

    private static final JsonMapper JSON = JsonMapper.shared();

    private final UUID runId;
    private final String params;
    private final Map<String, String> results;
    private final int polls;
    private final boolean cancelRequested;
    long bytesDone = -1;
    long bytesTotal = -1;
    final Map<String, Object> outputs = new LinkedHashMap<>();

    private final Map<String, Object> recorded;

    StepContext(UUID runId, String params, Map<String, String> results, int polls, boolean cancelRequested,
                Map<String, Object> recorded) {
        this.runId = runId;
        this.recorded = recorded;
        this.params = params;
        this.results = results;
        this.polls = polls;
        this.cancelRequested = cancelRequested;
    }

    public UUID runId() {
        return runId;
    }

    public <T> T params(Class<T> type) {
        return JSON.readValue(params, type);
    }

    /** The result an earlier step of this run returned with {@link StepOutcome#done}, typed as that step declares. */
    public <R> Optional<R> result(Step<R> step) {
        String json = results.get(step.name());
        return json == null || json.equals("null") ? Optional.empty() : Optional.of(JSON.readValue(json, step.resultType()));
    }

    /** How many times this step's execution ran before (0 the first time, across restarts). */
    public int polls() {
        return polls;
    }

    public boolean cancelRequested() {
        return cancelRequested;
    }

    public void progress(long done, long total) {
        this.bytesDone = done;
        this.bytesTotal = total;
    }

    /** A value the operation shows to its caller, e.g. the id of what it created. */
    public void output(String key, Object value) {
        outputs.put(key, value);
    }

    /**
     * An output recorded by an earlier, completed execution of any step. Outputs of an execution that
     * failed are not recorded, so a step can note what it did (e.g. "granted") and do it again otherwise.
     */
    public Optional<Object> recorded(String key) {
        return Optional.ofNullable(recorded.get(key));
    }
}
