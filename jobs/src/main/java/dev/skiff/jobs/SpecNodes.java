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

    /*
     * Most fields a rule or the mapper asks for are absent from a given spec (a spec names a few of its optional
     * fields): those get the shared empty list, so that checking 100,000 specs at a start allocates nothing for them.
     */

    /** The fields of a mapping, in document order; empty for anything else. */
    static List<Map.Entry<String, JsonNode>> fields(JsonNode node) {
        if (!node.isObject() || node.isEmpty()) {
            return List.of();
        }
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.size());
        node.fields().forEachRemaining(fields::add);
        return fields;
    }

    /** The items of a list; empty for anything else. */
    static List<JsonNode> items(JsonNode node) {
        if (!node.isArray() || node.isEmpty()) {
            return List.of();
        }
        List<JsonNode> items = new ArrayList<>(node.size());
        node.elements().forEachRemaining(items::add);
        return items;
    }

    static List<String> fieldNames(JsonNode node) {
        if (!node.isObject() || node.isEmpty()) {
            return List.of();
        }
        List<String> names = new ArrayList<>(node.size());
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
