package dev.skiff.trigger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** Keeps what it was asked to publish; fails the events a test names. */
final class RecordingEventPublisher implements EventPublisher {

    final List<SkiffEvent> published = new ArrayList<>();
    private final Set<String> failingIds = new HashSet<>();
    private Predicate<SkiffEvent> failing = e -> failingIds.contains(e.id());

    RecordingEventPublisher failing(String eventId) {
        failingIds.add(eventId);
        return this;
    }

    RecordingEventPublisher failingAll() {
        failing = e -> true;
        return this;
    }

    @Override
    public PublishResult publish(List<SkiffEvent> events) {
        var failures = new java.util.LinkedHashMap<String, String>();
        for (SkiffEvent event : events) {
            if (failing.test(event)) {
                failures.put(event.id(), "InternalFailure: injected by the test");
            } else {
                published.add(event);
            }
        }
        return new PublishResult(failures);
    }
}
