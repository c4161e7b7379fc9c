package dev.skiff.orchestrator.adapter.embedded;

import dev.skiff.workflows.StepOutcome;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * One launch call under way, from the moment its slot is taken until what came of it is recorded. Two things
 * can overtake the call and are kept here until it returns: the task's end (a launcher may report it before
 * {@code launch} returns), and the run no longer wanting the task (cancelled meanwhile), after which the launch
 * is abandoned: its task is being stopped, and keeps the slot until it has ended.
 *
 * <p>Not thread-safe: the {@link LaunchQueue} reads and changes it under its lock.
 */
final class LaunchInFlight {

    /** A task end as the launcher reported it. */
    record TaskEnd(int attempt, StepOutcome outcome, Instant at, Optional<BigDecimal> costUsd, Optional<String> output) {
    }

    private final String runId;
    private Optional<TaskEnd> earlyEnd = Optional.empty();
    private boolean abandoned;

    LaunchInFlight(String runId) {
        this.runId = runId;
    }

    String runId() {
        return runId;
    }

    /** The task ended while the launch call was still under way. */
    void endedEarly(TaskEnd end) {
        earlyEnd = Optional.of(end);
    }

    Optional<TaskEnd> earlyEnd() {
        return earlyEnd;
    }

    /** The call returned, but the run no longer waits for this task: it is being stopped. */
    void abandon() {
        abandoned = true;
    }

    boolean abandoned() {
        return abandoned;
    }
}
