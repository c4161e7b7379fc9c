package dev.skiff.workflows;

import dev.skiff.jobs.Capacity;
import java.time.Duration;

/** What follows the end of one attempt of a step. Made by {@link StepDecisions}. */
public sealed interface StepDecision {

    /** The step is done and succeeded. */
    record Complete() implements StepDecision {
    }

    /**
     * Start a new, counted attempt after a delay.
     *
     * @param nextAttempt the attempt number to launch (1-based)
     */
    record Retry(int nextAttempt, Duration delay, Capacity capacity) implements StepDecision {
    }

    /**
     * Launch the same attempt again somewhere else; it does not count as a failed attempt
     * (the task never ran to an end of its own: Spot took the capacity back, or had none).
     */
    record Relaunch(Capacity capacity, Duration delay) implements StepDecision {
    }

    /**
     * The step failed for good.
     *
     * @param error a Skiff error name ({@link SkiffErrors}), the same one Step Functions records
     */
    record Fail(String error, String cause, boolean timedOut) implements StepDecision {
    }
}
