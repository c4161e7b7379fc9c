package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A path into an event, {@code $.detail.object.key} or {@code $.detail.items[0]}, split once so
 * each lookup is a walk of the tree.
 */
final class EventPath {

    private static final Pattern STEP = Pattern.compile("\\.([^.\\[\\]]+)|\\[([0-9]+)]");

    private final String text;
    private final List<Object> steps;

    private EventPath(String text, List<Object> steps) {
        this.text = text;
        this.steps = steps;
    }

    static EventPath parse(String text) {
        if (!text.startsWith("$.")) {
            throw new IllegalArgumentException("event path " + text + " must start with $.");
        }
        List<Object> steps = new ArrayList<>();
        Matcher m = STEP.matcher(text);
        int end = 1;
        while (m.find() && m.start() == end) {
            steps.add(m.group(1) != null ? m.group(1) : (Object) Integer.valueOf(m.group(2)));
            end = m.end();
        }
        if (end != text.length()) {
            throw new IllegalArgumentException("event path " + text + " is not like $.detail.object.key");
        }
        return new EventPath(text, List.copyOf(steps));
    }

    /**
     * The value at the path: text as is, other values as JSON text. Empty when the path is missing
     * or holds JSON null, so a parameter default applies rather than the string "null".
     */
    Optional<String> extract(JsonNode event) {
        return extract(event, 0);
    }

    /** As {@link #extract(JsonNode)}, from a node that stands at the path's first {@code from} steps. */
    Optional<String> extract(JsonNode at, int from) {
        JsonNode node = at;
        for (int i = from; i < steps.size(); i++) {
            node = steps.get(i) instanceof Integer index ? node.path(index) : node.path((String) steps.get(i));
        }
        return text(node);
    }

    /** A value as a parameter gets it: empty for a missing node or JSON null. */
    static Optional<String> text(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        // A number's or boolean's text is its JSON text; only containers need the (slower) JSON writer.
        return Optional.of(node.isContainerNode() ? node.toString() : node.asText());
    }

    /** The fields (strings) and indexes (integers) the path walks, in order. */
    List<Object> steps() {
        return steps;
    }

    /** How many fields and indexes the path walks. */
    int segments() {
        return steps.size();
    }

    @Override
    public String toString() {
        return text;
    }
}
