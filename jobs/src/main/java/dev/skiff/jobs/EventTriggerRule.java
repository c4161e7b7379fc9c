package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A pattern must compile with event-ruler, the matcher EventBridge itself uses. Not a {@link SpecRule}: it writes each
 * pattern's canonical text into the document's {@link CanonicalPatterns}, which the mapper then takes as it is.
 */
final class EventTriggerRule {

    private EventTriggerRule() {
    }

    static void check(JsonNode root, CanonicalPatterns patterns, Violations out) {
        List<JsonNode> events = SpecNodes.items(root.path("triggers").path("events"));
        for (int i = 0; i < events.size(); i++) {
            JsonNode pattern = events.get(i).path("pattern");
            if (pattern.isObject() && !pattern.isEmpty()) {
                String at = SpecPaths.field(SpecPaths.item("triggers.events", i), "pattern");
                EventPatterns.problem(patterns.of(pattern)).ifPresent(problem -> out.semantic(
                        at, pattern,
                        "is not a valid event pattern: " + problem));
            }
        }
    }
}
