package dev.skiff.workflows;

import dev.skiff.jobs.Capacity;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * One launch of the run's step. A Spot relaunch adds an entry with the same {@code number}: it is
 * not a counted attempt, but a person still sees where each launch ran.
 *
 * @param taskId       the launcher's id for the task (pid, task ARN)
 * @param ranOn        where it ran, as the launcher reports it ("local", "spot", "on-demand")
 * @param deadline     when the engine stops it for running too long
 * @param stop         set once the engine has asked the task to stop (timeout, cancel), with why
 * @param outcome      how it ended; empty while it runs
 * @param costUsd      what the launch cost, as the launcher estimated it when it ended (USD, 6 decimal places);
 *                     empty while it runs, and for launchers that know no price (a local process)
 */
public record Attempt(
        int number,
        Capacity capacity,
        String taskId,
        String ranOn,
        String logLocation,
        Instant startedAt,
        Instant deadline,
        Optional<Stop> stop,
        Optional<StepOutcome> outcome,
        Optional<Instant> endedAt,
        Optional<BigDecimal> costUsd) {

    /** Why the engine stopped a task. */
    public enum StopReason { TIMEOUT, CANCEL }

    /** A stop the engine asked for: which kind, and the words a person reads (the cancel's reason). */
    public record Stop(StopReason reason, String detail) {
    }

    public boolean isRunning() {
        return outcome.isEmpty();
    }

    /** The process exit code, when the attempt ended with one. */
    public Optional<Integer> exitCode() {
        return outcome.flatMap(o -> {
            if (o instanceof StepOutcome.Succeeded) {
                return Optional.of(0);
            }
            return o instanceof StepOutcome.Exited e ? Optional.of(e.exitCode()) : Optional.empty();
        });
    }

    Attempt stopping(StopReason reason, String detail) {
        return new Attempt(number, capacity, taskId, ranOn, logLocation, startedAt, deadline,
                Optional.of(new Stop(reason, detail)), outcome, endedAt, costUsd);
    }

    Attempt ended(StepOutcome how, Instant at, Optional<BigDecimal> cost) {
        return new Attempt(number, capacity, taskId, ranOn, logLocation, startedAt, deadline,
                stop, Optional.of(how), Optional.of(at), cost);
    }
}
