package dev.skiff.orchestrator.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A launch request a compiled task state sent to the dispatch queue (see {@code WorkflowCompiler}): launch
 * attempt {@code attempt} of the run's step, and answer {@code taskToken} when it ends.
 *
 * @param attempt 1-based: the message carries {@code $$.State.RetryCount}, 0 on the first attempt
 */
public record DispatchRequest(String runId, String job, String step, int attempt, Map<String, String> parameters,
                              String taskToken) {

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
        JsonNode retryCount = root.path("attempt");
        if (!retryCount.canConvertToInt() || !retryCount.isIntegralNumber() || retryCount.asInt() < 0) {
            throw new IllegalArgumentException("attempt: " + retryCount + " must be the state's retry count, 0 or more");
        }
        JsonNode values = root.path("parameters");
        if (!values.isMissingNode() && !values.isObject()) {
            throw new IllegalArgumentException("parameters: must be an object, got " + values.getNodeType());
        }
        var parameters = new LinkedHashMap<String, String>();
        values.fields().forEachRemaining(e -> parameters.put(e.getKey(), e.getValue().asText()));
        return new DispatchRequest(text(root, "runId"), text(root, "job"), text(root, "step"), retryCount.asInt() + 1,
                parameters, text(root, "taskToken"));
    }

    private static String text(JsonNode root, String field) {
        JsonNode value = root.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(field + ": required, a non-empty string");
        }
        return value.asText();
    }
}
