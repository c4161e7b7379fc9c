package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The canonical texts of one document's event patterns, each written once: the rule that compiles a pattern and the
 * mapper that keeps it in the model both need the text, and writing it twice was 2% of checking a spec.
 */
final class CanonicalPatterns {

    // By identity: two equal patterns of one document are rare, and a node is its own best key.
    private final Map<JsonNode, String> texts = new IdentityHashMap<>(4);

    String of(JsonNode pattern) {
        return texts.computeIfAbsent(pattern, EventPatterns::canonical);
    }
}
