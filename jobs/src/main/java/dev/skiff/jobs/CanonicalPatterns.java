package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The canonical texts of one document's event patterns, each written once: the rule that compiles a pattern and the
 * mapper that keeps it in the model both need the text, and writing it twice was 2% of checking a spec.
 */
final class CanonicalPatterns {

    /**
     * By identity: two equal patterns of one document are rare, and a node is its own best key. Made at the first
     * pattern, since most specs have none (an empty table for each of them was 1% of what a check allocated).
     */
    private Map<JsonNode, String> texts;

    String of(JsonNode pattern) {
        if (texts == null) {
            texts = new IdentityHashMap<>(4);
        }
        return texts.computeIfAbsent(pattern, EventPatterns::canonical);
    }
}
