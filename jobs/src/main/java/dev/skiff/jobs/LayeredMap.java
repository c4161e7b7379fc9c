package dev.skiff.jobs;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable map whose {@link #with} costs what changed, not the whole map: a shared base map plus a small layer of
 * changes over it (a {@code null} value in the layer is a removal). With 100,000 jobs, copying the whole map for each
 * changed spec cost milliseconds and megabytes of garbage; a layer costs the changes only. Once the layer holds more
 * than an eighth of the base, the two are merged into a new base, so lookups stay two hash probes and a merge is paid
 * once per that many changes.
 *
 * <p>Readers may share one instance across threads: neither map is written after construction.
 */
public final class LayeredMap<K, V> extends AbstractMap<K, V> {

    private static final int SMALLEST_MERGE = 256;

    private final Map<K, V> base;
    private final Map<K, V> layer;
    private final int size;

    private LayeredMap(Map<K, V> base, Map<K, V> layer, int size) {
        this.base = base;
        this.layer = layer;
        this.size = size;
    }

    /** A map with the entries of {@code entries} (copied). */
    public static <K, V> LayeredMap<K, V> of(Map<K, V> entries) {
        entries.forEach((k, v) -> Objects.requireNonNull(v, "value of " + k));
        return new LayeredMap<>(Map.copyOf(entries), Map.of(), entries.size());
    }

    /** This map with {@code put} added or replacing, and {@code removed} gone; this map is unchanged. */
    public LayeredMap<K, V> with(Map<K, V> put, Collection<K> removed) {
        if (put.isEmpty() && removed.isEmpty()) {
            return this;
        }
        if (layer.size() + put.size() > Math.max(SMALLEST_MERGE, base.size() / 8)) {
            return merged(put, removed); // merged anyway: no layer built first (a start puts 100,000 jobs at once)
        }
        Map<K, V> changes = new HashMap<>(layer);
        int newSize = size;
        for (K key : new HashSet<>(removed)) { // a key named twice is removed once
            if (!put.containsKey(key) && containsKey(key)) {
                newSize--;
            }
            if (base.containsKey(key)) {
                changes.put(key, null);
            } else {
                changes.remove(key);
            }
        }
        for (var entry : put.entrySet()) {
            if (!containsKey(entry.getKey())) {
                newSize++;
            }
            changes.put(entry.getKey(), Objects.requireNonNull(entry.getValue(), "value of " + entry.getKey()));
        }
        if (changes.size() > Math.max(SMALLEST_MERGE, base.size() / 8)) {
            Map<K, V> merged = new HashMap<>(base);
            applyLayer(changes, merged);
            return new LayeredMap<>(Map.copyOf(merged), Map.of(), merged.size());
        }
        return new LayeredMap<>(base, changes, newSize);
    }

    /** A new base holding this map with the change applied, and no layer. */
    private LayeredMap<K, V> merged(Map<K, V> put, Collection<K> removed) {
        if (base.isEmpty() && layer.isEmpty()) { // a first load: the change is the whole map, copied once
            put.forEach((k, v) -> Objects.requireNonNull(v, "value of " + k));
            return new LayeredMap<>(Map.copyOf(put), Map.of(), put.size());
        }
        Map<K, V> merged = new HashMap<>(Math.max(16, (int) ((base.size() + put.size()) / 0.75f) + 1));
        merged.putAll(base);
        applyLayer(layer, merged);
        removed.forEach(merged::remove);
        put.forEach((k, v) -> merged.put(k, Objects.requireNonNull(v, "value of " + k)));
        return new LayeredMap<>(Map.copyOf(merged), Map.of(), merged.size());
    }

    /** Applies a layer of changes ({@code null}: removed) to {@code map}. */
    private static <K, V> void applyLayer(Map<K, V> changes, Map<K, V> map) {
        changes.forEach((k, v) -> {
            if (v == null) {
                map.remove(k);
            } else {
                map.put(k, v);
            }
        });
    }

    @Override
    public V get(Object key) {
        if (layer.containsKey(key)) {
            return layer.get(key);
        }
        return base.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<K, V>> iterator() {
                return new Entries();
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /** The base's entries the layer does not override, then the layer's present entries. */
    private final class Entries implements Iterator<Entry<K, V>> {
        private final Iterator<Entry<K, V>> fromBase = base.entrySet().iterator();
        private final Iterator<Entry<K, V>> fromLayer = layer.entrySet().iterator();
        private Entry<K, V> next = advance();

        private Entry<K, V> advance() {
            while (fromBase.hasNext()) {
                Entry<K, V> entry = fromBase.next();
                if (!layer.containsKey(entry.getKey())) {
                    return entry;
                }
            }
            while (fromLayer.hasNext()) {
                Entry<K, V> entry = fromLayer.next();
                if (entry.getValue() != null) {
                    return new SimpleImmutableEntry<>(entry);
                }
            }
            return null;
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Entry<K, V> next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            Entry<K, V> current = next;
            next = advance();
            return current;
        }
    }
}
