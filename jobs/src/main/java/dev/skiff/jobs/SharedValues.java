package dev.skiff.jobs;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One instance of each value specs repeat, so that a catalog holds one copy of it however many specs name it: each
 * spec is parsed (or read back from a cache) on its own, and at 100,000 specs their equal images, owners, command
 * words and default resources and retries took about 35 MB. Used by the model's constructors, so that every way of
 * building a spec shares.
 *
 * <p>Text is shared through {@link String#intern}: the JVM's own table, which holds its strings weakly (a value no spec
 * names any more is collected). Names of object fields need nothing: Jackson interns them already.
 */
final class SharedValues {

    private SharedValues() {
    }

    static String text(String text) {
        return text == null ? null : text.intern();
    }

    /**
     * An unmodifiable copy of {@code texts}, each shared; {@code texts} itself when it is an unmodifiable list of shared
     * texts already (a job's command given to its step), so that the two hold one list. No stream: a start reading
     * 100,000 cached specs made two pipelines per spec here.
     */
    static List<String> texts(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        String[] shared = new String[texts.size()];
        boolean already = true;
        boolean nulls = false;
        for (int i = 0; i < shared.length; i++) {
            String text = texts.get(i);
            shared[i] = text(text);
            already &= shared[i] == text;
            nulls |= text == null;
        }
        if (nulls) {
            return Collections.unmodifiableList(Arrays.asList(shared));
        }
        return already ? List.copyOf(texts) : List.of(shared);
    }

    /** An unmodifiable copy of {@code map} ({@link Map#copyOf}), its values shared. */
    static Map<String, String> values(Map<String, String> map) {
        if (map.isEmpty()) {
            return Map.of();
        }
        Map<String, String> shared = new LinkedHashMap<>();
        map.forEach((key, value) -> shared.put(key, text(value)));
        return Map.copyOf(shared);
    }

    /** {@code common} itself when {@code value} equals it: the defaults most specs take are held once. */
    static <T> T common(T value, T common) {
        return common.equals(value) ? common : value;
    }
}
