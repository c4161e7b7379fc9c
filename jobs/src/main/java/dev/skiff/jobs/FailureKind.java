package dev.skiff.jobs;

/** Kinds of step failure a retry policy can name. */
public enum FailureKind {
    /** The job's process ended with a non-zero exit code. */
    EXIT_CODE("exit-code"),
    /** The attempt ran past the job's timeout and was stopped. */
    TIMEOUT("timeout"),
    /** The task never started: image pull, network, capacity exhausted. */
    START_FAILURE("start-failure"),
    /** The task vanished or its outcome could not be known (orchestrator or host lost). */
    LOST("lost");

    private final String specName;

    FailureKind(String specName) {
        this.specName = specName;
    }

    public String specName() {
        return specName;
    }
}
