package dev.skiff.workflows;

import dev.skiff.jobs.FailureKind;
import dev.skiff.jobs.RetryPolicy;
import java.time.Duration;
import java.util.Set;

/** Retry policies for tests, so each test states only the numbers it is about. */
final class Policies {

    private Policies() {
    }

    static RetryPolicy policy(int maxAttempts, Duration interval, double backoffRate, Duration maxDelay) {
        return new RetryPolicy(maxAttempts, interval, backoffRate, maxDelay,
                Set.of(FailureKind.START_FAILURE, FailureKind.LOST), Set.of());
    }
}
