package dev.skiff.orchestrator.app;

import java.time.Duration;
import java.util.List;

/**
 * How hard a notification is tried: once at once, then once after each delay (by default 1 s, then 4 s: a receiver
 * that restarts is caught, one that is down does not hold a worker for long), each attempt given at most
 * {@code attemptTimeout}.
 */
public record NotificationRetries(List<Duration> delays, Duration attemptTimeout) {

    public static final NotificationRetries DEFAULT =
            new NotificationRetries(List.of(Duration.ofSeconds(1), Duration.ofSeconds(4)), Duration.ofSeconds(10));

    public NotificationRetries {
        delays = List.copyOf(delays);
        if (delays.stream().anyMatch(Duration::isNegative)) {
            throw new IllegalArgumentException("a retry delay must not be negative: " + delays);
        }
        if (attemptTimeout.isNegative() || attemptTimeout.isZero()) {
            throw new IllegalArgumentException("the attempt timeout must be positive: " + attemptTimeout);
        }
    }

    public int attempts() {
        return delays.size() + 1;
    }
}
