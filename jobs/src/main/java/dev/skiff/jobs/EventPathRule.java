package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The paths that fill parameters from an event must be paths {@link EventPath} can walk, of bounded depth. The
 * schema only checks the {@code $.} start and the length: a regular expression over the whole path recurses once
 * per segment, and a path of thousands of segments overflowed the stack.
 */
final class EventPathRule implements SpecRule {

    /** Deeper than any event EventBridge delivers needs; EventBridge's own patterns allow far fewer levels. */
    static final int MAX_SEGMENTS = 32;

    @Override
    public void check(JsonNode root, Violations out) {
        List<JsonNode> events = SpecNodes.items(root.path("triggers").path("events"));
        for (int i = 0; i < events.size(); i++) {
            String at = SpecPaths.field(SpecPaths.item("triggers.events", i), "parameters");
            for (Map.Entry<String, JsonNode> parameter : SpecNodes.fields(events.get(i).path("parameters"))) {
                JsonNode path = parameter.getValue();
                if (path.isTextual()) {
                    check(SpecPaths.field(at, parameter.getKey()), path, out);
                }
            }
        }
    }

    static void check(String at, JsonNode path, Violations out) {
        EventPath parsed;
        try {
            parsed = EventPath.parse(path.textValue());
        } catch (IllegalArgumentException e) {
            out.semantic(at, path, "must be an event path starting with $. (like $.detail.object.key)");
            return;
        }
        if (parsed.segments() > MAX_SEGMENTS) {
            out.semantic(at, path, "must have at most " + MAX_SEGMENTS + " segments (has " + parsed.segments() + ")");
        }
    }
}
