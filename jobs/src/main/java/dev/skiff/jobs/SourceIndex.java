package dev.skiff.jobs;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which events some pattern may match, told by the event's top-level {@code source} and {@code detail-type} alone:
 * for each exact source the patterns name, the exact detail-types they name with it (or "any"). Most events match no
 * job, and most of those come from a source, or with a detail-type, that no pattern names; such an event needs no
 * event-ruler at all.
 *
 * <p>It never refuses an event event-ruler would match. It trusts only the one form whose meaning is plain: a
 * top-level {@code "source"} that is a non-empty array of strings, each an exact match of the event's string value.
 * Any other pattern (no source, a source matched by prefix, anything-but, wildcard, exists, equals-ignore-case or a
 * number, a top-level {@code $or}, text it cannot read) is <em>open</em>: while one is registered, every event may
 * match. A detail-type constraint in any other form counts as "any detail-type" for the pattern's sources. Strings
 * holding a surrogate are never trusted, on either side: event-ruler compares UTF-8 bytes, and a lone surrogate
 * becomes the same {@code ?} as every other.
 *
 * <p>Immutable: {@link #with} costs the changed patterns, not the whole index (the map is a {@link LayeredMap}).
 */
final class SourceIndex {

    /** Reads patterns as event-ruler's compiler does, refusing a key given twice (it is then open, to be safe). */
    private static final ObjectMapper PATTERNS = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /**
     * What one pattern demands of an event's source and detail-type.
     *
     * @param sources     the exact sources, one of which the event's must be; null when the pattern is open
     * @param detailTypes the exact detail-types, one of which the event's must be; null for any
     */
    record Demand(Set<String> sources, Set<String> detailTypes) {

        static final Demand OPEN = new Demand(null, null);

        boolean open() {
            return sources == null;
        }
    }

    /**
     * The patterns naming one source: how many take any detail-type with it, and how many name each detail-type.
     * Counted, so that removing one pattern leaves what the others name.
     */
    private record Entry(int anyDetailType, Map<String, Integer> detailTypes) {

        boolean isEmpty() {
            return anyDetailType == 0 && detailTypes.isEmpty();
        }
    }

    static final SourceIndex EMPTY = new SourceIndex(0, LayeredMap.of(Map.of()));

    /** How many registered patterns are open: while any is, every event may match. */
    private final int open;
    private final LayeredMap<String, Entry> bySource;

    private SourceIndex(int open, LayeredMap<String, Entry> bySource) {
        this.open = open;
        this.bySource = bySource;
    }

    /** What {@code pattern} (event-ruler pattern JSON) demands; {@link Demand#OPEN} unless it is plainly exact. */
    static Demand demandOf(String pattern) {
        JsonNode root;
        try {
            root = PATTERNS.readTree(pattern);
        } catch (IOException | RuntimeException e) {
            return Demand.OPEN;
        }
        if (root == null || !root.isObject()) {
            return Demand.OPEN;
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            if (names.next().startsWith("$")) {
                return Demand.OPEN; // $or, or any operator a later event-ruler may add
            }
        }
        Set<String> sources = exactStrings(root.get("source"));
        return sources == null ? Demand.OPEN : new Demand(sources, exactStrings(root.get("detail-type")));
    }

    /** The strings of a non-empty array holding only strings without surrogates, or null. */
    private static Set<String> exactStrings(JsonNode values) {
        if (values == null || !values.isArray() || values.isEmpty()) {
            return null;
        }
        Set<String> strings = new HashSet<>();
        for (JsonNode value : values) {
            if (!value.isTextual() || hasSurrogate(value.textValue())) {
                return null;
            }
            strings.add(value.textValue());
        }
        return Set.copyOf(strings);
    }

    /** Whether some pattern may match an event with this source and detail-type (null: the event has no such field). */
    boolean mayMatch(String source, String detailType) {
        if (open > 0) {
            return true;
        }
        Entry entry = source == null ? null : bySource.get(source);
        if (entry != null && (entry.anyDetailType() > 0 || detailType != null && entry.detailTypes().containsKey(detailType))) {
            return true;
        }
        return hasSurrogate(source) || hasSurrogate(detailType);
    }

    /** As {@link #mayMatch(String, String)} for an event read into a tree; a source or detail-type that is not text may match. */
    boolean mayMatch(JsonNode event) {
        if (open > 0) {
            return true;
        }
        JsonNode source = event.get("source");
        JsonNode detailType = event.get("detail-type");
        if (source != null && !source.isTextual() || detailType != null && !detailType.isTextual()) {
            return true; // an array matches by any member, and anything else is better left to event-ruler
        }
        return mayMatch(source == null ? null : source.textValue(), detailType == null ? null : detailType.textValue());
    }

    /** How many registered patterns are open. */
    int openPatterns() {
        return open;
    }

    /** This index with the demands of {@code added} patterns and without those of {@code removed} ones. */
    SourceIndex with(Collection<Demand> added, Collection<Demand> removed) {
        if (added.isEmpty() && removed.isEmpty()) {
            return this;
        }
        int newOpen = open;
        Map<String, Entry> changed = new HashMap<>();
        for (Demand demand : added) {
            newOpen += demand.open() ? 1 : 0;
            count(demand, 1, changed);
        }
        for (Demand demand : removed) {
            newOpen -= demand.open() ? 1 : 0;
            count(demand, -1, changed);
        }
        Map<String, Entry> put = new HashMap<>();
        List<String> gone = changed.entrySet().stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
        changed.forEach((source, entry) -> {
            if (!entry.isEmpty()) {
                put.put(source, new Entry(entry.anyDetailType(), Map.copyOf(entry.detailTypes())));
            }
        });
        return new SourceIndex(newOpen, bySource.with(put, gone));
    }

    /** Adds {@code by} (1 or -1) to the counts of the demand's sources, in working copies kept in {@code changed}. */
    private void count(Demand demand, int by, Map<String, Entry> changed) {
        if (demand.open()) {
            return;
        }
        for (String source : demand.sources()) {
            Entry entry = changed.computeIfAbsent(source, s -> {
                Entry now = bySource.get(s);
                return now == null ? new Entry(0, new HashMap<>()) : new Entry(now.anyDetailType(), new HashMap<>(now.detailTypes()));
            });
            if (demand.detailTypes() == null) {
                changed.put(source, new Entry(entry.anyDetailType() + by, entry.detailTypes()));
            } else {
                for (String detailType : demand.detailTypes()) {
                    entry.detailTypes().merge(detailType, by, (a, b) -> a + b == 0 ? null : a + b);
                }
            }
        }
    }

    private static boolean hasSurrogate(String text) {
        if (text == null) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
