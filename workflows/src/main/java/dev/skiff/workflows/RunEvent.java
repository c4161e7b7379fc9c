package dev.skiff.workflows;

import dev.skiff.jobs.Capacity;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/** Something that happened to a run. Engines feed these to {@link RunLifecycle#apply}. */
public sealed interface RunEvent {

    Instant at();

    /** The launcher started the pending attempt. */
    record Launched(int attempt, Capacity capacity, String taskId, String ranOn, String logLocation,
                    Instant at, Instant deadline) implements RunEvent {
    }

    /**
     * An attempt ended, or its launch failed before any task existed.
     *
     * @param costUsd the launcher's estimate of what the task cost; empty when it knows no price or no task ran
     */
    record AttemptEnded(int attempt, StepOutcome outcome, Instant at, Optional<BigDecimal> costUsd) implements RunEvent {

        /** An end with no cost known. */
        public AttemptEnded(int attempt, StepOutcome outcome, Instant at) {
            this(attempt, outcome, at, Optional.empty());
        }
    }

    /** The running attempt passed its deadline. */
    record DeadlineReached(Instant at) implements RunEvent {
    }

    /** Someone asked to cancel the run. */
    record CancelRequested(String reason, Instant at) implements RunEvent {
    }
}
