package dev.skiff.workflows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A launch request a compiled task state sends to the dispatch queue: launch attempt {@code attempt} of the run's
 * step, and answer {@code taskToken} when it ends. The field names are declared here once: {@link WorkflowCompiler}
 * writes the message with them, the orchestrator reads it with {@link #parse}.
 *
 * @param attempt 1-based: the message carries {@code $$.State.RetryCount}, 0 on the first attempt
 */
public record DispatchRequest(String runId, String job, String step, int attempt, Map<String, String> parameters,
                              String taskToken) {

    public static final String RUN_ID = "runId";
    public static final String JOB = "job";
    public static final String STEP = "step";
    /** The state's retry count: 0 on the first attempt. */
    public static final String ATTEMPT = "attempt";
    public static final String PARAMETERS = "parameters";
    public static final String TASK_TOKEN = "taskToken";

    private static final ObjectMapper JSON = new ObjectMapper();

    public DispatchRequest {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(taskToken, "taskToken");
        parameters = Map.copyOf(parameters);
    }

    /** Leaves the task token out: whoever holds it can answer for the step. */
    @Override
    public String toString() {
        return "DispatchRequest[run " + runId + ", job " + job + ", step " + step + ", attempt " + attempt + "]";
    }

    /** @throws IllegalArgumentException naming the first field that is missing or of the wrong type */
    public static DispatchRequest parse(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the launch request is not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the launch request is not a JSON object");
        }
        JsonNode retryCount = root.path(ATTEMPT);
        if (!retryCount.canConvertToInt() || !retryCount.isIntegralNumber() || retryCount.asInt() < 0) {
            throw new IllegalArgumentException(ATTEMPT + ": " + retryCount + " must be the state's retry count, 0 or more");
        }
        JsonNode values = root.path(PARAMETERS);
        if (!values.isMissingNode() && !values.isObject()) {
            throw new IllegalArgumentException(PARAMETERS + ": must be an object, got " + values.getNodeType());
        }
        var parameters = new LinkedHashMap<String, String>();
        values.fields().forEachRemaining(e -> parameters.put(e.getKey(), e.getValue().asText()));
        return new DispatchRequest(text(root, RUN_ID), text(root, JOB), text(root, STEP), retryCount.asInt() + 1,
                parameters, text(root, TASK_TOKEN));
    }

    private static String text(JsonNode root, String field) {
        JsonNode value = root.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(field + ": required, a non-empty string");
        }
        return value.asText();
    }
}
