package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** Reads the raw tree tolerantly: wrong types yield empty, never an exception. */
final class SpecNodes {

    private SpecNodes() {
    }

    /** Whole numbers, including 2048.0, which JSON Schema also counts as an integer. */
    static OptionalInt intValue(JsonNode node) {
        return node.isNumber() && node.canConvertToExactIntegral() && node.canConvertToInt()
                ? OptionalInt.of(node.intValue()) : OptionalInt.empty();
    }

    /** The fields of a mapping, in document order; empty for anything else. */
    static List<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        if (node.isObject()) {
            node.fields().forEachRemaining(fields::add);
        }
        return fields;
    }

    /** The items of a list; empty for anything else. */
    static List<JsonNode> items(JsonNode node) {
        List<JsonNode> items = new ArrayList<>();
        if (node.isArray()) {
            node.elements().forEachRemaining(items::add);
        }
        return items;
    }

    static List<String> fieldNames(JsonNode node) {
        return fields(node).stream().map(Map.Entry::getKey).toList();
    }
}
