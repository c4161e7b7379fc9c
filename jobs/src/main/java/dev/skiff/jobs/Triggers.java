package dev.skiff.jobs;

import java.util.ArrayList;
import java.util.List;

/**
 * What starts a job besides the API.
 *
 * @param after the jobs it follows; each stands for an event trigger ({@link #allEvents})
 */
public record Triggers(List<Schedule> schedules, List<EventTrigger> events, List<AfterTrigger> after) {

    public Triggers {
        schedules = List.copyOf(schedules);
        events = List.copyOf(events);
        after = List.copyOf(after);
    }

    public Triggers(List<Schedule> schedules, List<EventTrigger> events) {
        this(schedules, events, List.of());
    }

    public static Triggers none() {
        return new Triggers(List.of(), List.of(), List.of());
    }

    /** The event patterns that start the job: its own {@code events}, then one per {@code after}. */
    public List<EventTrigger> allEvents() {
        if (after.isEmpty()) {
            return events;
        }
        var all = new ArrayList<>(events);
        after.forEach(a -> all.add(a.asEventTrigger()));
        return List.copyOf(all);
    }
}
