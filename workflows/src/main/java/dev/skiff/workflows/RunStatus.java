package dev.skiff.workflows;

/** Where a run stands. The same names appear in the API and in Step Functions' mapping of them. */
public enum RunStatus {
    /** Accepted; its next attempt waits for a launch slot. */
    PENDING,
    /** An attempt is running (or being stopped). */
    RUNNING,
    /** The last attempt failed; the next one starts after a back-off delay. */
    RETRY_WAIT,
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == TIMED_OUT || this == CANCELLED;
    }

    /** Waiting for its next launch (now or after a delay). */
    public boolean isAwaitingLaunch() {
        return this == PENDING || this == RETRY_WAIT;
    }
}
