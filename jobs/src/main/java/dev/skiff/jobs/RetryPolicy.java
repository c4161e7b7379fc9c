package dev.skiff.jobs;

import java.time.Duration;
import java.util.Set;

/**
 * How a failed attempt is retried. The same numbers become the ASL Retry block, so the embedded
 * engine and Step Functions wait the same delays.
 *
 * @param maxAttempts  attempts in all, the first included (1 = never retry)
 * @param interval     delay before the first retry
 * @param backoffRate  multiplier applied to the delay after each retry (&ge; 1.0)
 * @param maxDelay     cap on any one delay
 * @param retryOn      which kinds of failure are retried
 * @param exitCodes    when retryOn has EXIT_CODE: only these codes retry; empty means any non-zero code
 */
public record RetryPolicy(
        int maxAttempts,
        Duration interval,
        double backoffRate,
        Duration maxDelay,
        Set<FailureKind> retryOn,
        Set<Integer> exitCodes) {

    public RetryPolicy {
        retryOn = Set.copyOf(retryOn);
        exitCodes = Set.copyOf(exitCodes);
    }
}
