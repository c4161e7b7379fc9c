package dev.skiff.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A layered map holds what a plain map would after the same changes, through layers and merges alike. */
class LayeredMapTest {

    @Test
    void shouldHoldWhatAPlainMapHoldsAfterTheSameChanges() {
        var random = new Random(16);
        Map<String, Integer> expected = new HashMap<>();
        LayeredMap<String, Integer> map = LayeredMap.of(Map.of());
        for (int change = 0; change < 3_000; change++) {
            Map<String, Integer> put = new HashMap<>();
            List<String> removed = new ArrayList<>();
            for (int i = random.nextInt(40); i > 0; i--) {
                String key = "k" + random.nextInt(2_000);
                if (random.nextInt(3) == 0) {
                    removed.add(key);
                } else {
                    put.put(key, random.nextInt());
                }
            }
            LayeredMap<String, Integer> before = map;
            Map<String, Integer> beforeExpected = Map.copyOf(expected);
            map = map.with(put, removed);
            removed.stream().filter(key -> !put.containsKey(key)).forEach(expected::remove);
            expected.putAll(put);

            assertThat(map).hasSize(expected.size()).isEqualTo(expected);
            assertThat(before).isEqualTo(beforeExpected); // a change leaves the map it came from as it was
        }
    }

    @Test
    void shouldGiveTheSameMapWhenNothingChanges() {
        LayeredMap<String, Integer> map = LayeredMap.of(Map.of("a", 1));

        assertThat(map.with(Map.of(), List.of())).isSameAs(map);
        assertThat(map.with(Map.of(), List.of("b"))).isEqualTo(Map.of("a", 1));
    }
}
