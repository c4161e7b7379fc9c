package dev.skiff.orchestrator.port;

import dev.skiff.workflows.StepOutcome;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/** Receives the end of a launched attempt. */
@FunctionalInterface
public interface TaskListener {

    /**
     * @param costUsd what the task cost by the launcher's estimate (USD, 6 decimal places); empty when the
     *                launcher knows no price (a local process) or cannot tell (a task that vanished)
     */
    void taskEnded(String runId, int attempt, StepOutcome outcome, Instant endedAt, Optional<BigDecimal> costUsd);

    /** An end with no cost known. */
    default void taskEnded(String runId, int attempt, StepOutcome outcome, Instant endedAt) {
        taskEnded(runId, attempt, outcome, endedAt, Optional.empty());
    }
}
