package dev.skiff.orchestrator.aws;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stopped tasks this process has already settled (answered, or relaunched after a Spot interruption), so a
 * repeated event or the reconciler's next sweep costs no second SendTask call. Bounded: it forgets the oldest,
 * and forgetting costs only a call, since answering a closed token changes nothing.
 */
final class AnsweredTasks {

    static final int DEFAULT_CAPACITY = 50_000;

    private final Map<String, Boolean> settled;

    AnsweredTasks(int capacity) {
        this.settled = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized boolean contains(String taskArn) {
        return settled.containsKey(taskArn);
    }

    synchronized void add(String taskArn) {
        settled.put(taskArn, Boolean.TRUE);
    }
}
