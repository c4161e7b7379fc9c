package dev.skiff.orchestrator.adapter.ecs;

/**
 * One token bucket for every RunTask call. A throttled call halves the rate; each second without
 * throttling gives back a tenth of the configured rate, so full speed returns within seconds once ECS
 * stops pushing back. A caller reserves the next free slot and waits for it; a slot further away than
 * the caller may wait is refused, so waiting launches stay bounded instead of queueing in memory.
 * Times are in nanoseconds from the caller, so tests need no real waiting.
 */
final class LaunchRateLimiter {

    /** Below this the limiter never slows, whatever ECS says: a launch a few seconds apart always goes. */
    private static final double FLOOR_PER_SECOND = 0.2;
    private static final double RECOVERY_PER_SECOND = 0.1;
    private static final double NANOS = 1e9;

    private final double configuredRate;
    private final double burst;
    private double rate;
    private double tokens;
    private long last;

    LaunchRateLimiter(double ratePerSecond, int burst, long nowNanos) {
        this.configuredRate = ratePerSecond;
        this.burst = burst;
        this.rate = ratePerSecond;
        this.tokens = burst;
        this.last = nowNanos;
    }

    /**
     * Takes the next slot if it comes within {@code maxWaitNanos}.
     *
     * @return nanoseconds to wait before calling (0: call now), or -1 when no slot comes in time (nothing reserved)
     */
    synchronized long reserve(long nowNanos, long maxWaitNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        long wait = (long) Math.ceil((1 - tokens) / rate * NANOS);
        if (wait > maxWaitNanos) {
            return -1;
        }
        tokens -= 1;
        return wait;
    }

    /** ECS answered ThrottlingException: halve the rate and drop what was saved up. */
    synchronized void throttled(long nowNanos) {
        refill(nowNanos);
        rate = Math.max(Math.min(FLOOR_PER_SECOND, configuredRate), rate / 2);
        tokens = Math.min(tokens, 0);
    }

    synchronized double ratePerSecond() {
        return rate;
    }

    private void refill(long nowNanos) {
        double seconds = Math.max(0, nowNanos - last) / NANOS;
        last = Math.max(last, nowNanos);
        tokens = Math.min(burst, tokens + seconds * rate);
        rate = Math.min(configuredRate, rate + seconds * configuredRate * RECOVERY_PER_SECOND);
    }
}
