package dev.skiff.workflows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * A request a compiled task state sends to the dispatch queue, answered with {@code taskToken}: launch attempt
 * {@code attempt} of the run's step (of one of its items, for a forEach step), or tell a forEach step's items. The field
 * names are declared here once: {@link WorkflowCompiler} writes the message with them, the orchestrator reads it with
 * {@link #parse}. A message without {@code kind} is a launch: state machines compiled before pipelines send no kind.
 *
 * @param attempt   1-based: the message carries {@code $$.State.RetryCount}, 0 on the first attempt
 * @param itemIndex the item's index in the step's items, for a launch of one item
 * @param item      the item as JSON text, present exactly when {@code itemIndex} is
 */
public record DispatchRequest(Kind kind, String runId, String job, String step, int attempt,
                              Map<String, String> parameters, OptionalInt itemIndex, Optional<String> item,
                              String taskToken) {

    public static final String KIND = "kind";
    public static final String RUN_ID = "runId";
    public static final String JOB = "job";
    public static final String STEP = "step";
    /** The state's retry count: 0 on the first attempt. */
    public static final String ATTEMPT = "attempt";
    public static final String PARAMETERS = "parameters";
    public static final String ITEM_INDEX = "itemIndex";
    public static final String ITEM = "item";
    public static final String TASK_TOKEN = "taskToken";

    /** What the state asks for. */
    public enum Kind {
        /** Run a step attempt (of one item, with itemIndex and item); answered when the task ends. */
        LAUNCH("launch"),
        /** Resolve a forEach step's items; answered with {@code {"items": [...], "maxFailures": n}}. */
        ITEMS("items");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        /** As the message writes it. */
        public String wireName() {
            return wireName;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public DispatchRequest {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(itemIndex, "itemIndex");
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(taskToken, "taskToken");
        parameters = Map.copyOf(parameters);
        if (itemIndex.isPresent() != item.isPresent()) {
            throw new IllegalArgumentException("itemIndex and item come together");
        }
    }

    /** The launch of a step that runs once: what every state machine sent before pipelines. */
    public DispatchRequest(String runId, String job, String step, int attempt, Map<String, String> parameters,
                           String taskToken) {
        this(Kind.LAUNCH, runId, job, step, attempt, parameters, OptionalInt.empty(), Optional.empty(), taskToken);
    }

    /** Leaves the task token out: whoever holds it can answer for the step. */
    @Override
    public String toString() {
        String itemText = itemIndex.isPresent() ? ", item " + itemIndex.getAsInt() : "";
        return "DispatchRequest[" + kind.wireName() + ", run " + runId + ", job " + job + ", step " + step + itemText
                + ", attempt " + attempt + "]";
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
        Kind kind = kind(root.path(KIND));
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
        OptionalInt itemIndex = itemIndex(root.path(ITEM_INDEX));
        JsonNode item = root.path(ITEM);
        if (itemIndex.isPresent() && item.isMissingNode()) {
            throw new IllegalArgumentException(ITEM + ": required with " + ITEM_INDEX);
        }
        if (itemIndex.isEmpty() && !item.isMissingNode()) {
            throw new IllegalArgumentException(ITEM_INDEX + ": required with " + ITEM);
        }
        return new DispatchRequest(kind, text(root, RUN_ID), text(root, JOB), text(root, STEP), retryCount.asInt() + 1,
                parameters, itemIndex, item.isMissingNode() ? Optional.empty() : Optional.of(item.toString()),
                text(root, TASK_TOKEN));
    }

    private static Kind kind(JsonNode value) {
        if (value.isMissingNode()) {
            return Kind.LAUNCH;
        }
        return Arrays.stream(Kind.values()).filter(kind -> value.isTextual() && kind.wireName().equals(value.asText()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(KIND + ": " + value + " must be one of "
                        + Arrays.stream(Kind.values()).map(Kind::wireName).collect(Collectors.joining(", "))));
    }

    private static OptionalInt itemIndex(JsonNode value) {
        if (value.isMissingNode()) {
            return OptionalInt.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 0) {
            throw new IllegalArgumentException(ITEM_INDEX + ": " + value + " must be the item's index, 0 or more");
        }
        return OptionalInt.of(value.asInt());
    }

    private static String text(JsonNode root, String field) {
        JsonNode value = root.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(field + ": required, a non-empty string");
        }
        return value.asText();
    }
}
