package dev.skiff.workflows;

/**
 * How one attempt of a step ended, as a launcher observed it. Every launcher (local process,
 * Fargate) reports one of these; {@link StepDecisions} decides what follows.
 */
public sealed interface StepOutcome {

    /** The process exited 0. */
    record Succeeded() implements StepOutcome {
    }

    /** The process exited with a non-zero code. */
    record Exited(int exitCode) implements StepOutcome {
    }

    /** The attempt ran past its timeout and was stopped. */
    record TimedOut() implements StepOutcome {
    }

    /** The capacity asked for had none to give (Fargate Spot "Capacity is unavailable at this time"). */
    record CapacityUnavailable(String reason) implements StepOutcome {
    }

    /** Fargate reclaimed the Spot task (stopCode SpotInterruption). */
    record SpotInterrupted(String reason) implements StepOutcome {
    }

    /**
     * The task never ran the job's code.
     *
     * @param retryable false when the job itself is at fault (bad image, invalid parameters)
     */
    record StartFailed(String reason, boolean retryable) implements StepOutcome {
    }

    /** The outcome cannot be known: the task vanished, or ended while nobody watched and left no exit status. */
    record Lost(String reason) implements StepOutcome {
    }

    /**
     * The process exited 0 but its output (SKIFF_OUTPUT) was not a JSON document of at most 256 KiB: the attempt
     * fails with {@value SkiffErrors#BAD_OUTPUT}, never retried (the same code writes the same output).
     */
    record BadOutput(String reason) implements StepOutcome {
    }

    /** Stopped because someone cancelled the run. */
    record Cancelled(String reason) implements StepOutcome {
    }
}
