package dev.skiff.workflows;

import dev.skiff.jobs.Capacity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole state of one run: enough to resume it after a restart. Immutable; {@link RunLifecycle}
 * makes the next state.
 *
 * @param trigger       what started it: "cron", "event", "api"
 * @param nextLaunch    the launch the run waits for, while PENDING or RETRY_WAIT
 * @param error         the Skiff error name of a run that did not succeed
 */
public record Run(
        String runId,
        String job,
        String trigger,
        Map<String, String> parameters,
        RunStatus status,
        Instant createdAt,
        Optional<Instant> endedAt,
        List<Attempt> attempts,
        Optional<PendingLaunch> nextLaunch,
        Optional<String> error,
        Optional<String> cause) {

    public Run {
        parameters = Map.copyOf(parameters);
        attempts = List.copyOf(attempts);
    }

    /** A launch the run is waiting for: a counted attempt, or a relaunch of the current one. */
    public record PendingLaunch(int attempt, Capacity capacity, Instant notBefore) {
    }

    /** A new run, waiting to launch its first attempt. */
    public static Run create(String runId, String job, String trigger, Map<String, String> parameters,
                             Capacity capacity, Instant now) {
        return new Run(runId, job, trigger, parameters, RunStatus.PENDING, now, Optional.empty(), List.of(),
                Optional.of(new PendingLaunch(1, capacity, now)), Optional.empty(), Optional.empty());
    }

    public Optional<Attempt> currentAttempt() {
        return attempts.isEmpty() ? Optional.empty() : Optional.of(attempts.get(attempts.size() - 1));
    }

    public Optional<Instant> startedAt() {
        return attempts.isEmpty() ? Optional.empty() : Optional.of(attempts.get(0).startedAt());
    }

    /** Uncounted relaunches so far of the given attempt number. */
    int relaunchesOf(int attemptNumber) {
        long launches = attempts.stream().filter(a -> a.number() == attemptNumber).count();
        return (int) Math.max(0, launches - 1);
    }

    Run with(RunStatus newStatus, List<Attempt> newAttempts, Optional<PendingLaunch> launch) {
        return new Run(runId, job, trigger, parameters, newStatus, createdAt, endedAt, newAttempts, launch, error, cause);
    }

    Run finished(RunStatus finalStatus, Instant at, List<Attempt> newAttempts, Optional<String> err, Optional<String> why) {
        return new Run(runId, job, trigger, parameters, finalStatus, createdAt, Optional.of(at), newAttempts,
                Optional.empty(), err, why);
    }

    List<Attempt> replacingCurrent(Attempt replacement) {
        var copy = new ArrayList<>(attempts);
        copy.set(copy.size() - 1, replacement);
        return copy;
    }

    List<Attempt> appending(Attempt added) {
        var copy = new ArrayList<>(attempts);
        copy.add(added);
        return copy;
    }
}
