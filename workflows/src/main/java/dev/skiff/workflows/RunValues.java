package dev.skiff.workflows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.jobs.StepValue;
import dev.skiff.jobs.ValueRef;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a step of a run can read, and the values its references name: the run's parameters, the JSON outputs of the
 * steps that ended, and its item. Both engines resolve references here, when the step is about to start, so a
 * reference means the same in each.
 *
 * @param parameters the run's parameters, as text
 * @param outputs    the outputs of steps that succeeded, by step name (a step that wrote none has none)
 * @param item       the item of a forEach step's unit
 */
public record RunValues(Map<String, String> parameters, Map<String, JsonNode> outputs, Optional<JsonNode> item) {

    /** At most this many items in one fan-out (docs/pipelines.md: an inline Map's history grows with each). */
    public static final int MAX_ITEMS = 1_000;
    /** At most this many bytes of items in one fan-out, and of one step's output: Step Functions' payload limit. */
    public static final int MAX_BYTES = 256 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Why a reference could not be resolved: the step cannot start, and fails. */
    public static class UnresolvableException extends RuntimeException {
        public UnresolvableException(String message) {
            super(message);
        }
    }

    /** A fan-out's items are more than it takes ({@value #MAX_ITEMS} items, {@value #MAX_BYTES} bytes): Skiff.TooManyItems. */
    public static final class TooManyItemsException extends UnresolvableException {
        public TooManyItemsException(String message) {
            super(message);
        }
    }

    public RunValues {
        parameters = Map.copyOf(parameters);
        outputs = Map.copyOf(outputs);
    }

    public RunValues withItem(JsonNode value) {
        return new RunValues(parameters, outputs, Optional.of(value));
    }

    /**
     * The text a step parameter becomes: its literal text, or the value its reference names (text as it is, any other
     * JSON value as JSON).
     *
     * @throws UnresolvableException when the reference names nothing
     */
    public String text(StepValue value) {
        if (value.ref().isEmpty()) {
            return value.text();
        }
        JsonNode found = resolve(value.ref().get());
        return found.isTextual() ? found.textValue() : found.toString();
    }

    /**
     * The items a forEach names: a JSON array, at most {@value #MAX_ITEMS} items and {@value #MAX_BYTES} bytes.
     *
     * @throws UnresolvableException when the reference names nothing, or not such an array
     */
    public JsonNode items(ValueRef ref) {
        JsonNode found = resolve(ref);
        if (!found.isArray()) {
            throw new UnresolvableException(ref + " is " + kind(found) + ", not a JSON array of items");
        }
        checkSize(ref.toString(), found);
        return found;
    }

    /** A fan-out's items, however they were found, within the limits. */
    public static void checkSize(String source, JsonNode items) {
        if (items.size() > MAX_ITEMS) {
            throw new TooManyItemsException(source + " has " + items.size() + " items; a fan-out takes at most " + MAX_ITEMS);
        }
        int bytes = items.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new TooManyItemsException(source + " is " + bytes + " bytes of items; a fan-out takes at most " + MAX_BYTES);
        }
    }

    private JsonNode resolve(ValueRef ref) {
        JsonNode root = switch (ref.source()) {
            case PARAMETER -> parameter(ref.name());
            case STEP_OUTPUT -> Optional.ofNullable(outputs.get(ref.name())).orElseThrow(() -> new UnresolvableException(
                    ref + ": step " + ref.name() + " wrote no output (SKIFF_OUTPUT)"));
            case ITEM -> item.orElseThrow(() -> new UnresolvableException(ref + ": this step has no item"));
        };
        JsonNode at = root;
        String walked = rootOf(ref);
        for (String field : ref.path()) {
            if (!at.isObject() || !at.has(field)) {
                throw new UnresolvableException(ref + ": " + walked + " is " + kind(at) + " without a field " + field);
            }
            at = at.get(field);
            walked = walked + "." + field;
        }
        return at;
    }

    /** A parameter's text: JSON when it reads as JSON (an array, an object, a number), else the text itself. */
    private JsonNode parameter(String name) {
        String text = parameters.get(name);
        if (text == null) {
            throw new UnresolvableException("$.parameters." + name + ": the run has no parameter " + name);
        }
        try {
            JsonNode parsed = JSON.readTree(text);
            return parsed == null || parsed.isMissingNode() ? JSON.getNodeFactory().textNode(text) : parsed;
        } catch (JsonProcessingException e) {
            return JSON.getNodeFactory().textNode(text);
        }
    }

    private static String rootOf(ValueRef ref) {
        return new ValueRef(ref.source(), ref.name(), List.of()).toString();
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "text";
            case NUMBER -> "a number";
            case BOOLEAN -> "true or false";
            default -> "null";
        };
    }
}
