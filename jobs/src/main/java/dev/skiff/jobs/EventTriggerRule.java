package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A pattern must compile with event-ruler, the matcher EventBridge itself uses. */
final class EventTriggerRule implements SpecRule {

    @Override
    public void check(JsonNode root, Violations out) {
        List<JsonNode> events = SpecNodes.items(root.path("triggers").path("events"));
        for (int i = 0; i < events.size(); i++) {
            String at = SpecPaths.field(SpecPaths.item("triggers.events", i), "pattern");
            JsonNode pattern = events.get(i).path("pattern");
            if (pattern.isObject() && !pattern.isEmpty()) {
                EventPatterns.problem(EventPatterns.canonical(pattern)).ifPresent(problem -> out.semantic(
                        at, pattern,
                        "is not a valid event pattern: " + problem));
            }
        }
    }
}
