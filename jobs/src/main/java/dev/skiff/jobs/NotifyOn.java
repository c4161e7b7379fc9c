package dev.skiff.jobs;

import java.util.Arrays;
import java.util.Optional;

/** The moments a job's {@code notify} section may name, each with the run event it answers to. */
public enum NotifyOn {
    FAILED("failed", RunEvents.Kind.FAILED),
    TIMED_OUT("timed-out", RunEvents.Kind.TIMED_OUT),
    SUCCEEDED("succeeded", RunEvents.Kind.SUCCEEDED),
    CANCELLED("cancelled", RunEvents.Kind.CANCELLED),
    DEADLINE_MISSED("deadline-missed", RunEvents.Kind.DEADLINE_MISSED);

    private final String specName;
    private final RunEvents.Kind event;

    NotifyOn(String specName, RunEvents.Kind event) {
        this.specName = specName;
        this.event = event;
    }

    public String specName() {
        return specName;
    }

    public RunEvents.Kind event() {
        return event;
    }

    public static Optional<NotifyOn> of(RunEvents.Kind event) {
        return Arrays.stream(values()).filter(n -> n.event == event).findFirst();
    }
}
