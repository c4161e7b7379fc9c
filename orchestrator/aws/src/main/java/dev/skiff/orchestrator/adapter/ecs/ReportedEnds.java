package dev.skiff.orchestrator.adapter.ecs;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tasks whose end this process has reported, or is reporting now, by task ARN: the poller, the task-events
 * queue and the reconciler's sweep may all hear of one stopped task, and its end must reach a listener once.
 * Bounded, the least recently used forgotten first: forgetting costs one repeated report, which the listeners
 * of a runtime that hears of ends from several places take idempotently.
 */
final class ReportedEnds {

    static final int DEFAULT_CAPACITY = 50_000;

    /** false while the end is being reported, true once a listener took it. */
    private final Map<String, Boolean> ends;

    ReportedEnds(int capacity) {
        this.ends = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** True when the caller is the one to report the task's end now. */
    synchronized boolean claim(String taskArn) {
        return ends.putIfAbsent(taskArn, Boolean.FALSE) == null;
    }

    synchronized void reported(String taskArn) {
        ends.put(taskArn, Boolean.TRUE);
    }

    /** The listener did not take the end: the next to hear of the task reports it again. */
    synchronized void release(String taskArn) {
        ends.remove(taskArn);
    }
}
