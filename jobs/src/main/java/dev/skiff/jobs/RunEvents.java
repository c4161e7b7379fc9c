package dev.skiff.jobs;

import java.util.Arrays;
import java.util.Optional;

/**
 * The wire contract of Skiff's run events, declared once for the orchestrator (which publishes them and, in embedded
 * mode, reads them back through its own intake), the job spec ({@code triggers.after} is a pattern on them) and the
 * stack (whose bus policy lets only the orchestrator put them).
 */
public final class RunEvents {

    private RunEvents() {
    }

    /** The source of every run event; in AWS mode only the orchestrator's role may put it on the bus. */
    public static final String SOURCE = "skiff.runs";

    /** Detail fields. */
    public static final String JOB = "job";
    public static final String OWNER = "owner";
    public static final String RUN_ID = "runId";
    public static final String STATUS = "status";
    public static final String TRIGGER = "trigger";
    public static final String PARAMETERS = "parameters";
    public static final String ATTEMPTS = "attempts";
    public static final String ERROR = "error";
    public static final String CAUSE = "cause";
    public static final String STARTED_AT = "startedAt";
    public static final String ENDED_AT = "endedAt";
    public static final String DURATION_SECONDS = "durationSeconds";
    public static final String COST_USD = "costUsd";
    public static final String STEPS = "steps";
    /** A deadline event's fire time and deadline. */
    public static final String FIRE_TIME = "fireTime";
    public static final String DEADLINE = "deadline";
    /** The event's deterministic id ({@code <run id>/<status>}), as {@link SkiffEvents#EVENT_ID_FIELD} for the trigger's. */
    public static final String EVENT_ID = SkiffEvents.EVENT_ID_FIELD;

    /** What a run event tells: each is one detail-type. */
    public enum Kind {
        STARTED("Run Started"),
        SUCCEEDED("Run Succeeded"),
        FAILED("Run Failed"),
        TIMED_OUT("Run Timed Out"),
        CANCELLED("Run Cancelled"),
        DEADLINE_MISSED("Run Deadline Missed");

        private final String detailType;

        Kind(String detailType) {
            this.detailType = detailType;
        }

        public String detailType() {
            return detailType;
        }

        /** True for the four ways a run ends, which {@code triggers.after} may follow. */
        public boolean isEnd() {
            return this != STARTED && this != DEADLINE_MISSED;
        }

        public static Optional<Kind> byName(String name) {
            return Arrays.stream(values()).filter(k -> k.name().equals(name)).findFirst();
        }
    }

    /** The event id of a run's event: the same for a republished event, so a follower starts one run from it. */
    public static String eventId(String runId, Kind kind) {
        return runId + "/" + kind.name();
    }
}
