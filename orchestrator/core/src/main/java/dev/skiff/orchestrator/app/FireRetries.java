package dev.skiff.orchestrator.app;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Fires whose start failed on a call that may pass later (AWS throttled StartExecution past the SDK's retries, say),
 * tried again after 5, 10, 20, 40 and 80 s: the fire is taken from the queue when due, so without this a passing
 * outage would lose it for good. Each try uses the fire's own run id, so a try that did start a run after all makes
 * none twice. Only the scheduler's thread uses it.
 */
final class FireRetries {

    static final int MAX_TRIES = 5;
    static final Duration FIRST_WAIT = Duration.ofSeconds(5);

    /** A fire to try again at {@code next}; {@code tries} failed so far. */
    record Retry(FireQueue.Due due, int tries, Instant next) {
    }

    private final List<Retry> waiting = new ArrayList<>();

    /**
     * Queues the fire's next try after its {@code tries}-th failure, unless it has had its last.
     *
     * @return false when the fire gives up
     */
    boolean failed(FireQueue.Due due, int tries, Instant now) {
        if (tries >= MAX_TRIES) {
            return false;
        }
        waiting.add(new Retry(due, tries, now.plus(FIRST_WAIT.multipliedBy(1L << (tries - 1)))));
        return true;
    }

    /** The retries whose time has come, taken out. */
    List<Retry> takeDue(Instant now) {
        if (waiting.isEmpty()) {
            return List.of();
        }
        List<Retry> due = new ArrayList<>();
        waiting.removeIf(retry -> !retry.next().isAfter(now) && due.add(retry));
        return due;
    }

    /** The fire time of the oldest fire waiting for a try. */
    Optional<Instant> oldestFire() {
        return waiting.stream().map(retry -> retry.due().at()).min(Instant::compareTo);
    }

    Optional<Instant> nextWakeUp() {
        return waiting.stream().map(Retry::next).min(Instant::compareTo);
    }
}
