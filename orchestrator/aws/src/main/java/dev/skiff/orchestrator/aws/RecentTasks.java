package dev.skiff.orchestrator.aws;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BinaryOperator;

/**
 * What this process remembers about the tasks it handled lately, by task ARN: bounded, the least recently used
 * forgotten first. Forgetting costs only a repeated call, since every answer to Step Functions is idempotent.
 */
final class RecentTasks<V> {

    static final int DEFAULT_CAPACITY = 50_000;

    private final Map<String, V> values;

    RecentTasks(int capacity) {
        this.values = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized V get(String taskArn) {
        return values.get(taskArn);
    }

    synchronized void merge(String taskArn, V value, BinaryOperator<V> combine) {
        values.merge(taskArn, value, combine);
    }
}
