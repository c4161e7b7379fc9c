package dev.skiff.orchestrator.domain;

import java.time.Duration;

/** A limit on what runs at once is reached (log followers, say); the same request may succeed after a while. */
public class TooManyRequestsException extends SkiffException {

    private final Duration retryAfter;

    public TooManyRequestsException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** How long the caller should wait before asking again. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
