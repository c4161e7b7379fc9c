package dev.skiff.jobs;

import java.util.List;

/** What starts a job besides the API. */
public record Triggers(List<Schedule> schedules, List<EventTrigger> events) {

    public Triggers {
        schedules = List.copyOf(schedules);
        events = List.copyOf(events);
    }

    public static Triggers none() {
        return new Triggers(List.of(), List.of());
    }
}
