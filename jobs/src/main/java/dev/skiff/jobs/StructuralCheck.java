package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.path.NodePath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Validates a document against the JSON Schema and turns each schema error into a Violation in
 * Skiff's words: our path format, the value as written, and a rule a spec author can act on.
 */
final class StructuralCheck {

    private static final Map<String, String> TYPE_NAMES = Map.of(
            "string", "a string",
            "integer", "an integer",
            "number", "a number",
            "boolean", "true or false",
            "array", "a list",
            "object", "a mapping",
            "null", "empty");

    private StructuralCheck() {
    }

    static void check(JsonNode document, Violations out) {
        var schema = JobSpecSchema.get();
        for (Error error : schema.validate(document)) {
            report(error, schema.root(), out);
        }
    }

    private static void report(Error error, JsonNode schemaRoot, Violations out) {
        String at = path(error.getInstanceLocation());
        JsonNode value = error.getInstanceNode();
        JsonNode keywordValue = error.getSchemaNode();
        if (error.isCustomMessage()) {
            out.structural(at, value, error.getMessage());
            return;
        }
        switch (error.getKeyword()) {
            case "required" -> out.structural(SpecPaths.field(at, error.getProperty()), null, "is required");
            case "additionalProperties" -> out.structural(SpecPaths.field(at, error.getProperty()), null,
                    "is not a known field (known: " + knownFields(error, schemaRoot) + ")");
            case "propertyNames" -> out.structuralKey(SpecPaths.field(at, error.getProperty()), error.getProperty(),
                    String.valueOf(error.getArguments()[1]));
            case "type" -> out.structural(at, value, "must be " + TYPE_NAMES.getOrDefault(keywordValue.asText(), keywordValue.asText()));
            case "enum" -> out.structural(at, value, "must be one of: " + joinValues(keywordValue));
            case "minimum" -> out.structural(at, value, "must be at least " + keywordValue.asText());
            case "maximum" -> out.structural(at, value, "must be at most " + keywordValue.asText());
            case "minLength" -> out.structural(at, value, "must be at least " + keywordValue.asText() + " characters long");
            case "maxLength" -> out.structural(at, value, "must be at most " + keywordValue.asText() + " characters long");
            case "minItems" -> out.structural(at, value, "must have at least " + count(keywordValue, "item"));
            case "maxItems" -> out.structural(at, null,
                    "must have at most " + count(keywordValue, "item") + " (has " + value.size() + ")");
            case "uniqueItems" -> out.structural(at, value, "must not list the same value twice");
            case "minProperties" -> out.structural(at, value, "must have at least " + count(keywordValue, "entry"));
            case "maxProperties" -> out.structural(at, null,
                    "must have at most " + count(keywordValue, "entry") + " (has " + value.size() + ")");
            case "pattern" -> out.structural(at, value, "must match " + keywordValue.asText());
            default -> out.structural(at, value, error.getMessage());
        }
    }

    /** The instance location as {@code triggers.schedules[0].cron}. */
    static String path(NodePath location) {
        String path = "";
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            path = element instanceof Integer index ? SpecPaths.item(path, index) : SpecPaths.field(path, String.valueOf(element));
        }
        return path;
    }

    /** The properties of the subschema holding the failed additionalProperties keyword. */
    private static String knownFields(Error error, JsonNode schemaRoot) {
        String keywordPointer = error.getSchemaLocation().getFragment().toString();
        String subschemaPointer = keywordPointer.substring(0, keywordPointer.lastIndexOf('/'));
        JsonNode properties = schemaRoot.at(subschemaPointer).path("properties");
        List<String> names = new ArrayList<>();
        properties.fieldNames().forEachRemaining(names::add);
        return names.stream().sorted().collect(Collectors.joining(", "));
    }

    private static String joinValues(JsonNode values) {
        return StreamSupport.stream(values.spliterator(), false).map(JsonNode::asText).collect(Collectors.joining(", "));
    }

    private static String count(JsonNode number, String noun) {
        int n = number.asInt();
        String plural = noun.endsWith("y") ? noun.substring(0, noun.length() - 1) + "ies" : noun + "s";
        return n + " " + (n == 1 ? noun : plural);
    }
}
