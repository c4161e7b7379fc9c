package dev.skiff.orchestrator.port;

import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.workflows.StepOutcome;

/** A launch that did not produce a task; carries the outcome the engine should record for the attempt. */
public class LaunchFailedException extends SkiffException {

    private final StepOutcome outcome;

    public LaunchFailedException(StepOutcome outcome, String message, Throwable cause) {
        super(message, cause);
        this.outcome = outcome;
    }

    public StepOutcome outcome() {
        return outcome;
    }
}
