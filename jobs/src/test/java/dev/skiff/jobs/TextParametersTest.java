package dev.skiff.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Parameters read from an event's text are the values the completed tree holds at the same paths, for
 * every kind of value (numbers as each mapper reads them, escapes, containers, null) and any path (missing, through
 * a scalar, an index into an object, the id the intake gave, a detail the event lacks).
 */
class TextParametersTest {

    private static final List<ObjectMapper> MAPPERS = List.of(
            new ObjectMapper(),
            JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, DeserializationFeature.USE_BIG_INTEGER_FOR_INTS).build(),
            JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build());

    private static final List<String> KEYS = List.of("detail", "id", "a", "b", "c");
    private static final List<String> SCALARS = List.of("1", "-0", "0", "12.50", "1e3", "-2.5E-3", "123456789012345678901234567890",
            "9223372036854775808", "2147483648", "true", "false", "null", "\"x\"", "\"\"", "\"a\\\"b\\\\c\\u00e9\\n\"", "\"Zoë 名前\"",
            "\"\\ud83d\\ude00\"", "0.1", "1.0", "100.00");

    /** The tree the intake makes of the text: the id it chose, and an empty detail when there is none. */
    private static JsonNode completed(ObjectMapper mapper, String text, String id) throws Exception {
        ObjectNode tree = (ObjectNode) mapper.readTree(text);
        tree.put("id", id);
        if (!tree.has("detail")) {
            tree.putObject("detail");
        }
        return tree;
    }

    @Test
    void readsTheValuesTheCompletedTreeHoldsOnRandomEventsAndPaths() throws Exception {
        SplittableRandom random = new SplittableRandom(20261206L);
        int found = 0;
        int containers = 0;
        for (int n = 0; n < 6_000; n++) {
            ObjectMapper mapper = MAPPERS.get(n % MAPPERS.size());
            String text = object(random, 0, true);
            String id = "evt-" + n;
            JsonNode tree = completed(mapper, text, id);
            List<EventPath> paths = new ArrayList<>();
            for (int p = 1 + random.nextInt(6); p > 0; p--) {
                EventPath path = EventPath.parse(path(random));
                paths.add(path);
                if (random.nextInt(5) == 0) {
                    paths.add(random.nextBoolean() ? path : EventPath.parse(path.toString())); // asked twice, or twice over
                }
            }

            Map<EventPath, Optional<String>> got = TextParameters.read(new EventText(text, id, mapper), paths);

            for (EventPath path : paths) {
                Optional<String> want = path.extract(tree);
                assertThat(got.get(path)).as("%s in %s", path, text).isEqualTo(want);
                found += want.isPresent() ? 1 : 0;
                containers += want.filter(v -> v.startsWith("{") || v.startsWith("[")).isPresent() ? 1 : 0;
            }
        }
        // (the paths mean something: many find a value, some of them a container)
        assertThat(found).isGreaterThan(3_000);
        assertThat(containers).isGreaterThan(300);
    }

    @Test
    void givesTheIntakesIdAndAnEmptyDetailWhereTheTextHasNone() {
        String text = "{\"source\": \"s\", \"id\": null, \"a\": 1}";
        EventPath id = EventPath.parse("$.id");
        EventPath detail = EventPath.parse("$.detail");
        EventPath inDetail = EventPath.parse("$.detail.x");
        EventPath belowId = EventPath.parse("$.id.x");

        var got = TextParameters.read(new EventText(text, "chosen", new ObjectMapper()), List.of(id, detail, inDetail, belowId));

        assertThat(got).containsEntry(id, Optional.of("chosen")).containsEntry(detail, Optional.of("{}"))
                .containsEntry(inDetail, Optional.empty()).containsEntry(belowId, Optional.empty());
    }

    private static String path(SplittableRandom random) {
        StringBuilder path = new StringBuilder("$");
        int steps = 1 + random.nextInt(4);
        for (int s = 0; s < steps; s++) {
            if (s > 0 && random.nextInt(4) == 0) {
                path.append('[').append(random.nextInt(3)).append(']');
            } else {
                path.append('.').append(s == 0 && random.nextBoolean() ? "detail" : KEYS.get(random.nextInt(KEYS.size())));
            }
        }
        return path.toString();
    }

    private static String object(SplittableRandom random, int depth, boolean top) {
        List<String> keys = new ArrayList<>(KEYS);
        StringBuilder json = new StringBuilder("{");
        int fields = random.nextInt(top ? 2 : 0, 5);
        for (int f = 0; f < fields && !keys.isEmpty(); f++) {
            String key = keys.remove(random.nextInt(keys.size()));
            String value = top && key.equals("id") ? (random.nextBoolean() ? "\"own-id\"" : "null") : value(random, depth + 1);
            json.append(f == 0 ? "" : random.nextBoolean() ? ", " : ",\n ").append('"').append(key).append("\": ").append(value);
        }
        return json.append('}').toString();
    }

    private static String value(SplittableRandom random, int depth) {
        int kind = random.nextInt(depth > 3 ? 1 : 4);
        if (kind == 0) {
            return SCALARS.get(random.nextInt(SCALARS.size()));
        }
        if (kind == 1) {
            StringBuilder array = new StringBuilder("[");
            for (int i = random.nextInt(4); i > 0; i--) {
                array.append(array.length() > 1 ? ", " : "").append(value(random, depth + 1));
            }
            return array.append(']').toString();
        }
        return object(random, depth, false);
    }
}
