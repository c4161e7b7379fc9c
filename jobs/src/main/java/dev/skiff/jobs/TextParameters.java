package dev.skiff.jobs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The values at some parameter paths of an {@link EventText}, read in one streaming pass over the text: what
 * {@link EventPath#extract} gives on the event's tree, without building the tree. Only the values at the paths are
 * read (with the event's mapper, so numbers and containers come out as in the tree); everything else is skipped.
 */
final class TextParameters {

    private static final String ID = "id";
    private static final String DETAIL = "detail";
    private static final Optional<String> EMPTY_OBJECT = Optional.of("{}");

    /** The steps of the wanted paths, merged: a field or index leads to the next node; paths end at some nodes. */
    private static final class Node {

        final Map<String, Node> fields = new HashMap<>();
        final Map<Integer, Node> indexes = new HashMap<>();
        final List<EventPath> ending = new ArrayList<>(1);
        /** Paths that go on below this node, counted where a value caught whole answers them too. */
        final List<EventPath> below = new ArrayList<>(1);
        /** How many steps lead here from the event. */
        final int depth;

        Node(int depth) {
            this.depth = depth;
        }

        boolean leadsOn() {
            return !fields.isEmpty() || !indexes.isEmpty();
        }
    }

    private final EventText event;
    private final Map<EventPath, Optional<String>> values = new IdentityHashMap<>();
    private int wanted;
    private ObjectReader reader;

    private TextParameters(EventText event) {
        this.event = event;
    }

    /**
     * The value of each path, empty where the tree would have none (the path is missing, or holds null).
     *
     * @throws UncheckedIOException when the text cannot be read after all
     */
    static Map<EventPath, Optional<String>> read(EventText event, List<EventPath> paths) {
        return new TextParameters(event).readAll(paths);
    }

    private Map<EventPath, Optional<String>> readAll(List<EventPath> paths) {
        Node root = new Node(0);
        for (EventPath path : paths) {
            if (values.containsKey(path)) {
                continue;
            }
            List<Object> steps = path.steps();
            if (ID.equals(steps.get(0))) {
                // The intake's id replaces the text's: a string, with nothing below it
                values.put(path, steps.size() == 1 ? Optional.of(event.id()) : Optional.empty());
                continue;
            }
            values.put(path, Optional.empty()); // until found
            wanted++;
            Node node = root;
            for (Object step : steps) {
                node.below.add(path);
                int depth = node.depth;
                node = step instanceof Integer index ? node.indexes.computeIfAbsent(index, i -> new Node(depth + 1))
                        : node.fields.computeIfAbsent((String) step, s -> new Node(depth + 1));
            }
            node.ending.add(path);
        }
        if (wanted == 0) {
            return values;
        }
        boolean detailSeen;
        try (JsonParser parser = event.mapper().getFactory().createParser(event.text())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the event is not a JSON object");
            }
            detailSeen = object(parser, root, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the parameters of event " + event.id(), e);
        }
        if (!detailSeen) {
            Node detail = root.fields.get(DETAIL);
            if (detail != null) {
                detail.ending.forEach(path -> values.put(path, EMPTY_OBJECT)); // the intake gives an event without one an empty detail
            }
        }
        return values;
    }

    /** Reads the object the parser is at the start of; returns whether it has a {@code detail} key (asked of the top level only). */
    private boolean object(JsonParser parser, Node node, boolean top) throws IOException {
        boolean detail = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            detail |= top && DETAIL.equals(name);
            Node next = top && ID.equals(name) ? null : node.fields.get(name);
            parser.nextToken();
            if (next == null) {
                parser.skipChildren();
            } else if (value(parser, next)) {
                return true; // every path is answered: the rest of the text cannot change a value (no key is given twice)
            }
        }
        return detail;
    }

    /** Reads the value the parser is at, for the paths ending at or below {@code node}; true once every path has a value. */
    private boolean value(JsonParser parser, Node node) throws IOException {
        JsonToken token = parser.currentToken();
        if (!node.ending.isEmpty()) {
            if (token == JsonToken.VALUE_STRING && !node.leadsOn()) {
                found(node.ending, Optional.of(parser.getText()));
            } else if (token == JsonToken.VALUE_NULL && !node.leadsOn()) {
                found(node.ending, Optional.empty());
            } else {
                // Numbers and containers are read by the mapper, as in the tree: 1.50 is a double or a decimal as it says
                JsonNode whole = reader().readTree(parser);
                for (EventPath path : node.ending) {
                    found(path, EventPath.text(whole));
                }
                for (EventPath path : node.below) {
                    found(path, path.extract(whole, node.depth));
                }
            }
            return wanted == 0;
        }
        if (token == JsonToken.START_OBJECT && !node.fields.isEmpty()) {
            object(parser, node, false);
        } else if (token == JsonToken.START_ARRAY && !node.indexes.isEmpty()) {
            int index = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                Node next = node.indexes.get(index++);
                if (next == null) {
                    parser.skipChildren();
                } else if (value(parser, next)) {
                    return true;
                }
            }
        } else {
            parser.skipChildren(); // a scalar where the paths go on, or a container of the other kind: nothing below it
        }
        return wanted == 0;
    }

    /** The mapper's reader of one value in the middle of the text (it reads the rest as the tree would: the value's own tokens only). */
    private ObjectReader reader() {
        if (reader == null) {
            reader = event.mapper().reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        }
        return reader;
    }

    private void found(List<EventPath> paths, Optional<String> value) {
        for (EventPath path : paths) {
            found(path, value);
        }
    }

    private void found(EventPath path, Optional<String> value) {
        values.put(path, value);
        wanted--;
    }
}
