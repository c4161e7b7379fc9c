package dev.skiff.workflows;

import dev.skiff.jobs.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The delays between attempts that a {@link RetryPolicy} asks for, computed exactly as the compiled
 * ASL Retry block makes Step Functions wait, so the embedded engine and AWS mode retry on the same
 * schedule.
 *
 * <p>ASL only takes whole seconds: IntervalSeconds is an integer &ge; 1 and MaxDelaySeconds a positive
 * integer. A policy with a sub-second or fractional interval is therefore rounded <em>up</em> to whole
 * seconds here and in the compiler alike (never down, so no retry comes sooner than the spec says).
 * Step Functions documents no rounding of interval &times; rate<sup>n</sup>; we keep millisecond
 * precision, finer than its scheduling granularity.
 */
public final class RetryDelays {

    /** ASL's upper bound for IntervalSeconds. */
    static final long MAX_INTERVAL_SECONDS = 99_999_999L;
    /** ASL requires MaxDelaySeconds &lt; 31622401 (366 days; a standard execution lasts at most a year anyway). */
    static final long MAX_DELAY_SECONDS = 31_622_400L;
    /** ASL's upper bound for MaxAttempts (the number of retries, not attempts). */
    static final int MAX_RETRIES = 99_999_999;

    private RetryDelays() {
    }

    /**
     * How long to wait before retry number {@code retryNumber} (1 = the wait after the first failed attempt):
     * min(interval &times; backoffRate<sup>retryNumber-1</sup>, maxDelay), interval and maxDelay in whole seconds.
     *
     * Numbers beyond the policy's retries are still defined (the cap holds), so a caller may reuse the
     * same backoff for waits the policy does not count, such as relaunching a spot-only task.
     *
     * @throws IllegalArgumentException when retryNumber is below 1
     */
    public static Duration retryDelay(RetryPolicy policy, int retryNumber) {
        if (retryNumber < 1) {
            throw new IllegalArgumentException("retry number must be 1 or more, got " + retryNumber);
        }
        double seconds = intervalSeconds(policy) * Math.pow(policy.backoffRate(), retryNumber - 1);
        double capped = Math.min(seconds, maxDelaySeconds(policy));
        return Duration.ofMillis(Math.round(capped * 1000));
    }

    /** Every delay in order: element i is the wait before retry i+1. Empty when the policy never retries. */
    public static List<Duration> schedule(RetryPolicy policy) {
        var delays = new ArrayList<Duration>();
        for (int n = 1; n <= retries(policy); n++) {
            delays.add(retryDelay(policy, n));
        }
        return List.copyOf(delays);
    }

    /** Retries after the first attempt: ASL's MaxAttempts, which counts retries, not attempts. */
    public static int retries(RetryPolicy policy) {
        return Math.max(0, policy.maxAttempts() - 1);
    }

    /** The interval as ASL IntervalSeconds: whole seconds, rounded up, within 1 and ASL's maximum. */
    static long intervalSeconds(RetryPolicy policy) {
        return clamp(ceilSeconds(policy.interval()), MAX_INTERVAL_SECONDS);
    }

    /** The cap as ASL MaxDelaySeconds: whole seconds, rounded up, within 1 and ASL's maximum. */
    static long maxDelaySeconds(RetryPolicy policy) {
        return clamp(ceilSeconds(policy.maxDelay()), MAX_DELAY_SECONDS);
    }

    private static long ceilSeconds(Duration duration) {
        long seconds = duration.getSeconds();
        return duration.getNano() > 0 ? seconds + 1 : seconds;
    }

    private static long clamp(long seconds, long max) {
        return Math.max(1, Math.min(seconds, max));
    }
}
