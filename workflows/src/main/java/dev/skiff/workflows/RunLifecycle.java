package dev.skiff.workflows;

import dev.skiff.jobs.JobSpec;
import dev.skiff.workflows.Attempt.StopReason;
import dev.skiff.workflows.RunEvent.AttemptEnded;
import dev.skiff.workflows.RunEvent.CancelRequested;
import dev.skiff.workflows.RunEvent.DeadlineReached;
import dev.skiff.workflows.RunEvent.Launched;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The run state machine: {@code apply(run, event) -> Transition(run', commands)}. Pure: no clock,
 * no I/O. Events that no longer apply (a second report of an ended attempt, a cancel after the end)
 * leave the run unchanged, so an engine may deliver an event twice.
 */
public final class RunLifecycle {

    /** Every status an event may lead to, from each status; the tests visit each pair. */
    static final Map<RunStatus, Map<Class<? extends RunEvent>, Set<RunStatus>>> TRANSITIONS = Map.of(
            RunStatus.PENDING, Map.of(
                    Launched.class, EnumSet.of(RunStatus.RUNNING),
                    AttemptEnded.class, EnumSet.of(RunStatus.PENDING, RunStatus.RETRY_WAIT, RunStatus.FAILED),
                    CancelRequested.class, EnumSet.of(RunStatus.CANCELLED)),
            RunStatus.RETRY_WAIT, Map.of(
                    Launched.class, EnumSet.of(RunStatus.RUNNING),
                    AttemptEnded.class, EnumSet.of(RunStatus.PENDING, RunStatus.RETRY_WAIT, RunStatus.FAILED),
                    CancelRequested.class, EnumSet.of(RunStatus.CANCELLED)),
            RunStatus.RUNNING, Map.of(
                    AttemptEnded.class, EnumSet.of(RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.TIMED_OUT,
                            RunStatus.CANCELLED, RunStatus.RETRY_WAIT, RunStatus.PENDING),
                    DeadlineReached.class, EnumSet.of(RunStatus.RUNNING),
                    CancelRequested.class, EnumSet.of(RunStatus.RUNNING)));

    private final JobSpec job;

    /** @param job the spec the run was started with */
    public RunLifecycle(JobSpec job) {
        this.job = job;
    }

    public Transition apply(Run run, RunEvent event) {
        var allowed = TRANSITIONS.getOrDefault(run.status(), Map.of()).get(event.getClass());
        if (allowed == null) {
            return Transition.unchanged(run);
        }
        Transition next;
        if (event instanceof Launched l) {
            next = launched(run, l);
        } else if (event instanceof AttemptEnded e) {
            next = ended(run, e);
        } else if (event instanceof CancelRequested c) {
            next = cancelled(run, c);
        } else {
            next = stopCurrent(run, StopReason.TIMEOUT,
                    "the attempt ran longer than the job's timeout of " + job.timeout());
        }
        if (next.run() != run && !allowed.contains(next.run().status())) {
            throw new IllegalStateException("run " + run.runId() + ": " + event.getClass().getSimpleName()
                    + " may not lead from " + run.status() + " to " + next.run().status());
        }
        return next;
    }

    private Transition launched(Run run, Launched l) {
        if (run.nextLaunch().isEmpty() || run.nextLaunch().get().attempt() != l.attempt()) {
            return Transition.unchanged(run);
        }
        var attempt = new Attempt(l.attempt(), l.capacity(), l.taskId(), l.ranOn(), l.logLocation(), l.at(),
                l.deadline(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        return new Transition(run.with(RunStatus.RUNNING, run.appending(attempt), Optional.empty()), List.of());
    }

    private Transition ended(Run run, AttemptEnded e) {
        Attempt current;
        List<Attempt> attempts;
        if (run.status() == RunStatus.RUNNING) {
            current = run.currentAttempt().orElseThrow();
            if (current.number() != e.attempt() || !current.isRunning()) {
                return Transition.unchanged(run);
            }
            current = current.ended(observed(current, e.outcome()), e.at(), e.costUsd());
            attempts = run.replacingCurrent(current);
        } else {
            // The launch itself failed: record an attempt that never had a task, so a person sees why.
            var pending = run.nextLaunch().orElseThrow();
            if (pending.attempt() != e.attempt()) {
                return Transition.unchanged(run);
            }
            current = new Attempt(e.attempt(), pending.capacity(), "", "", "", e.at(), e.at(),
                    Optional.empty(), Optional.of(e.outcome()), Optional.of(e.at()), e.costUsd());
            attempts = run.appending(current);
        }
        int number = current.number();
        Instant firstTry = attempts.stream().filter(a -> a.number() == number).findFirst()
                .map(Attempt::startedAt).orElse(e.at());
        var decision = StepDecisions.after(job, number, current.capacity(), run.relaunchesOf(number),
                Duration.between(firstTry, e.at()), current.outcome().orElseThrow());
        if (decision instanceof StepDecision.Fail f) {
            return finish(run, failedStatus(f), e, attempts, Optional.of(f.error()), Optional.of(f.cause()));
        }
        if (decision instanceof StepDecision.Retry r) {
            return waitFor(run, RunStatus.RETRY_WAIT, attempts,
                    new Run.PendingLaunch(r.nextAttempt(), r.capacity(), e.at().plus(r.delay())));
        }
        if (decision instanceof StepDecision.Relaunch r) {
            return waitFor(run, RunStatus.PENDING, attempts,
                    new Run.PendingLaunch(current.number(), r.capacity(), e.at().plus(r.delay())));
        }
        return finish(run, RunStatus.SUCCEEDED, e, attempts, Optional.empty(), Optional.empty());
    }

    /** A task the engine stopped ends with whatever the kill produced; what counts is why it was stopped. */
    private static StepOutcome observed(Attempt attempt, StepOutcome reported) {
        if (reported instanceof StepOutcome.Succeeded || attempt.stop().isEmpty()) {
            return reported;
        }
        Attempt.Stop stop = attempt.stop().get();
        return stop.reason() == StopReason.TIMEOUT
                ? new StepOutcome.TimedOut()
                : new StepOutcome.Cancelled(stop.detail());
    }

    private static RunStatus failedStatus(StepDecision.Fail f) {
        if (SkiffErrors.CANCELLED.equals(f.error())) {
            return RunStatus.CANCELLED;
        }
        return f.timedOut() ? RunStatus.TIMED_OUT : RunStatus.FAILED;
    }

    private Transition cancelled(Run run, CancelRequested c) {
        if (run.status() == RunStatus.RUNNING) {
            return stopCurrent(run, StopReason.CANCEL, c.reason());
        }
        return new Transition(
                run.finished(RunStatus.CANCELLED, c.at(), run.attempts(), Optional.of(SkiffErrors.CANCELLED),
                        Optional.of(c.reason())),
                List.of(new RunCommand.Finished(RunStatus.CANCELLED)));
    }

    private static Transition stopCurrent(Run run, StopReason reason, String why) {
        Attempt current = run.currentAttempt().orElseThrow();
        if (current.stop().isPresent()) {
            return Transition.unchanged(run);
        }
        return new Transition(run.with(run.status(), run.replacingCurrent(current.stopping(reason, why)), Optional.empty()),
                List.of(new RunCommand.StopTask(current.taskId(), why)));
    }

    private static Transition finish(Run run, RunStatus status, AttemptEnded e, List<Attempt> attempts,
                                     Optional<String> error, Optional<String> cause) {
        return new Transition(run.finished(status, e.at(), attempts, error, cause),
                List.of(new RunCommand.Finished(status)));
    }

    private static Transition waitFor(Run run, RunStatus status, List<Attempt> attempts, Run.PendingLaunch launch) {
        return new Transition(run.with(status, attempts, Optional.of(launch)),
                List.of(new RunCommand.LaunchWhenDue(launch.notBefore())));
    }
}
