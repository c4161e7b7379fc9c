package dev.skiff.orchestrator.port;

import dev.skiff.workflows.StepOutcome;
import java.time.Instant;

/** Receives the end of a launched attempt. */
@FunctionalInterface
public interface TaskListener {

    void taskEnded(String runId, int attempt, StepOutcome outcome, Instant endedAt);
}
