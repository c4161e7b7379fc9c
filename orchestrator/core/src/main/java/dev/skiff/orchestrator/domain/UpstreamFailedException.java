package dev.skiff.orchestrator.domain;

/**
 * A service Skiff depends on (AWS) refused or failed a call a request needed, so the request was not done. The API
 * answers 503 with Retry-After when asking again may pass (throttling, a server error, no connection) and 502 when
 * the service refused (a missing permission, an invalid definition): that needs someone to fix it first.
 */
public class UpstreamFailedException extends SkiffException {

    private final boolean retryable;

    public UpstreamFailedException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** Whether the same request later may succeed without anyone changing anything. */
    public boolean retryable() {
        return retryable;
    }
}
