package dev.skiff.orchestrator.port;

/**
 * A notification not delivered by one attempt, and whether another attempt could deliver it (a 5xx, a timeout) or
 * not (a 4xx, a refused address). Its message is logged: it must never hold a webhook URL's query.
 */
public final class NotificationFailure extends RuntimeException {

    private final boolean retryable;

    private NotificationFailure(String reason, boolean retryable, Throwable cause) {
        super(reason, cause);
        this.retryable = retryable;
    }

    /** Another attempt may succeed. */
    public static NotificationFailure retryable(String reason) {
        return new NotificationFailure(reason, true, null);
    }

    /** Another attempt would fail the same way. */
    public static NotificationFailure permanent(String reason) {
        return new NotificationFailure(reason, false, null);
    }

    public boolean retryable() {
        return retryable;
    }
}
