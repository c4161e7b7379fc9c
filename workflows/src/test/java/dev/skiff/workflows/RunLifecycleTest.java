package dev.skiff.workflows;

import static dev.skiff.workflows.TestJobs.job;
import static dev.skiff.workflows.TestJobs.retries;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.Capacity;
import dev.skiff.jobs.FailureKind;
import dev.skiff.jobs.JobSpec;
import dev.skiff.workflows.RunEvent.AttemptEnded;
import dev.skiff.workflows.RunEvent.CancelRequested;
import dev.skiff.workflows.RunEvent.DeadlineReached;
import dev.skiff.workflows.RunEvent.Launched;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Walks runs through the lifecycle; after all tests, fails if any allowed transition was never visited. */
class RunLifecycleTest {

    private static final Instant T0 = Instant.parse("2026-11-26T02:00:00Z");
    private static final Set<String> VISITED = new HashSet<>();

    private static String key(RunStatus from, Class<?> event, RunStatus to) {
        return from + " --" + event.getSimpleName() + "--> " + to;
    }

    private static Transition apply(JobSpec job, Run run, RunEvent event) {
        Transition t = new RunLifecycle(job).apply(run, event);
        VISITED.add(key(run.status(), event.getClass(), t.run().status()));
        return t;
    }

    @AfterAll
    static void shouldHaveVisitedEveryAllowedTransition() {
        var all = new HashSet<String>();
        RunLifecycle.TRANSITIONS.forEach((from, byEvent) -> byEvent.forEach((event, targets) ->
                targets.forEach(to -> all.add(key(from, event, to)))));
        assertThat(VISITED).as("transitions the tests never visited").containsAll(all);
    }

    private static Run newRun(JobSpec job) {
        return Run.create("etl-m-01", job.name(), "api", Map.of(), job.capacity(), T0);
    }

    private static Launched launched(int attempt, Capacity capacity, Instant at) {
        return new Launched(attempt, capacity, "pid-" + attempt, "local", "/logs/a" + attempt, at, at.plusSeconds(600));
    }

    private static Run running(JobSpec job) {
        return apply(job, newRun(job), launched(1, job.capacity(), T0.plusSeconds(1))).run();
    }

    @Test
    void shouldSucceedWhenTheOnlyAttemptSucceeds() {
        // Given a running run
        var job = job(Capacity.SPOT_FIRST, retries(1));
        Run run = running(job);

        // When its attempt ends with exit 0
        Transition t = apply(job, run, new AttemptEnded(1, new StepOutcome.Succeeded(), T0.plusSeconds(5)));

        // Then the run succeeded, with one attempt holding exit code 0
        assertThat(t.run().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(t.run().endedAt()).contains(T0.plusSeconds(5));
        assertThat(t.run().attempts()).singleElement().satisfies(a -> assertThat(a.exitCode()).contains(0));
        assertThat(t.commands()).containsExactly(new RunCommand.Finished(RunStatus.SUCCEEDED));
    }

    @Test
    void shouldWaitThenRetryWhenAnAttemptFailsWithRetriesLeft() {
        var job = job(Capacity.SPOT_FIRST, retries(2, FailureKind.EXIT_CODE));
        Run run = running(job);

        Transition failed = apply(job, run, new AttemptEnded(1, new StepOutcome.Exited(3), T0.plusSeconds(5)));

        assertThat(failed.run().status()).isEqualTo(RunStatus.RETRY_WAIT);
        assertThat(failed.run().nextLaunch()).contains(new Run.PendingLaunch(2, Capacity.SPOT_FIRST, T0.plusSeconds(35)));
        assertThat(failed.commands()).containsExactly(new RunCommand.LaunchWhenDue(T0.plusSeconds(35)));

        // And the retry launches attempt 2, which can fail for good
        Run second = apply(job, failed.run(), launched(2, Capacity.SPOT_FIRST, T0.plusSeconds(35))).run();
        Transition end = apply(job, second, new AttemptEnded(2, new StepOutcome.Exited(3), T0.plusSeconds(40)));
        assertThat(end.run().status()).isEqualTo(RunStatus.FAILED);
        assertThat(end.run().error()).contains("Skiff.ExitCode.3");
        assertThat(end.run().attempts()).extracting(Attempt::number).containsExactly(1, 2);
    }

    @Test
    void shouldStopTheTaskAndEndTimedOutWhenTheDeadlinePasses() {
        var job = job(Capacity.SPOT_FIRST, retries(1));
        Run run = running(job);

        Transition stop = apply(job, run, new DeadlineReached(T0.plusSeconds(601)));
        assertThat(stop.run().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(stop.commands()).singleElement().isInstanceOf(RunCommand.StopTask.class);

        // The killed process reports a signal exit; what counts is that it was stopped for its timeout
        Transition end = apply(job, stop.run(), new AttemptEnded(1, new StepOutcome.Exited(143), T0.plusSeconds(602)));
        assertThat(end.run().status()).isEqualTo(RunStatus.TIMED_OUT);
        assertThat(end.run().error()).contains(SkiffErrors.TIMEOUT);
    }

    @Test
    void shouldRetryATimeoutWhenTimeoutsRetry() {
        var job = job(Capacity.SPOT_FIRST, retries(2, FailureKind.TIMEOUT));
        Run stopping = apply(job, running(job), new DeadlineReached(T0.plusSeconds(601))).run();

        Transition end = apply(job, stopping, new AttemptEnded(1, new StepOutcome.Exited(137), T0.plusSeconds(602)));

        assertThat(end.run().status()).isEqualTo(RunStatus.RETRY_WAIT);
    }

    @Test
    void shouldCancelAtOnceWhenTheRunIsStillWaiting() {
        var job = job(Capacity.SPOT_FIRST, retries(1));

        Transition t = apply(job, newRun(job), new CancelRequested("by hand", T0.plusSeconds(1)));

        assertThat(t.run().status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(t.run().cause()).contains("by hand");
    }

    @Test
    void shouldCancelAWaitingRetry() {
        var job = job(Capacity.SPOT_FIRST, retries(2, FailureKind.EXIT_CODE));
        Run waiting = apply(job, running(job), new AttemptEnded(1, new StepOutcome.Exited(1), T0.plusSeconds(5))).run();

        Transition t = apply(job, waiting, new CancelRequested("by hand", T0.plusSeconds(6)));

        assertThat(t.run().status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(t.run().nextLaunch()).isEmpty();
    }

    @Test
    void shouldStopTheTaskThenEndCancelledWhenARunningRunIsCancelled() {
        var job = job(Capacity.SPOT_FIRST, retries(3, FailureKind.values()));
        Transition stop = apply(job, running(job), new CancelRequested("by hand", T0.plusSeconds(2)));
        assertThat(stop.commands()).containsExactly(new RunCommand.StopTask("pid-1", "by hand"));

        // Even a policy that retries everything does not retry a cancel
        Transition end = apply(job, stop.run(), new AttemptEnded(1, new StepOutcome.Exited(143), T0.plusSeconds(3)));
        assertThat(end.run().status()).isEqualTo(RunStatus.CANCELLED);
    }

    @Test
    void shouldRelaunchTheSameAttemptOnDemandWhenSpotInterrupts() {
        var job = job(Capacity.SPOT_FIRST, retries(1));
        Transition t = apply(job, running(job), new AttemptEnded(1, new StepOutcome.SpotInterrupted("SpotInterruption"),
                T0.plusSeconds(50)));

        assertThat(t.run().status()).isEqualTo(RunStatus.PENDING);
        assertThat(t.run().nextLaunch()).contains(new Run.PendingLaunch(1, Capacity.ON_DEMAND, T0.plusSeconds(50)));

        // The relaunch is the same attempt number, and may then succeed
        Run again = apply(job, t.run(), launched(1, Capacity.ON_DEMAND, T0.plusSeconds(51))).run();
        Run done = apply(job, again, new AttemptEnded(1, new StepOutcome.Succeeded(), T0.plusSeconds(90))).run();
        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(done.attempts()).extracting(Attempt::capacity).containsExactly(Capacity.SPOT_FIRST, Capacity.ON_DEMAND);
    }

    @Test
    void shouldRecordAFailedLaunchAsAnAttemptAndRetryIt() {
        var job = job(Capacity.SPOT_FIRST, retries(2, FailureKind.START_FAILURE));

        Transition t = apply(job, newRun(job), new AttemptEnded(1, new StepOutcome.StartFailed("ENI timeout", true),
                T0.plusSeconds(1)));

        assertThat(t.run().status()).isEqualTo(RunStatus.RETRY_WAIT);
        assertThat(t.run().attempts()).singleElement().satisfies(a -> assertThat(a.taskId()).isEmpty());
    }

    @Test
    void shouldRelaunchWhenALaunchFindsNoSpotCapacity() {
        var job = job(Capacity.SPOT_FIRST, retries(1));

        Transition t = apply(job, newRun(job), new AttemptEnded(1, new StepOutcome.CapacityUnavailable("none"),
                T0.plusSeconds(1)));

        assertThat(t.run().status()).isEqualTo(RunStatus.PENDING);
        assertThat(t.run().nextLaunch().orElseThrow().capacity()).isEqualTo(Capacity.ON_DEMAND);
    }

    @Test
    void shouldFailWhenALaunchIsRejectedForGood() {
        var job = job(Capacity.SPOT_FIRST, retries(3, FailureKind.START_FAILURE));
        Run waiting = apply(job, newRun(job), new AttemptEnded(1, new StepOutcome.StartFailed("ENI", true),
                T0.plusSeconds(1))).run();

        Transition t = apply(job, waiting, new AttemptEnded(2, new StepOutcome.StartFailed("command not found: x", false),
                T0.plusSeconds(40)));

        assertThat(t.run().status()).isEqualTo(RunStatus.FAILED);
        assertThat(t.run().error()).contains(SkiffErrors.START_REJECTED);
    }

    @Test
    void shouldFailWhenTheFirstLaunchIsRejected() {
        var job = job(Capacity.SPOT_FIRST, retries(3, FailureKind.START_FAILURE));

        Transition t = apply(job, newRun(job), new AttemptEnded(1, new StepOutcome.StartFailed("command not found: x", false),
                T0.plusSeconds(1)));

        assertThat(t.run().status()).isEqualTo(RunStatus.FAILED);
        assertThat(t.run().cause()).contains("command not found: x");
    }

    @Test
    void shouldRetryAgainWhenARetriedLaunchFailsWithRetriesLeft() {
        var job = job(Capacity.SPOT_FIRST, retries(3, FailureKind.START_FAILURE));
        Run waiting = apply(job, newRun(job), new AttemptEnded(1, new StepOutcome.StartFailed("ENI", true),
                T0.plusSeconds(1))).run();

        Transition t = apply(job, waiting, new AttemptEnded(2, new StepOutcome.StartFailed("ENI", true),
                T0.plusSeconds(40)));

        assertThat(t.run().status()).isEqualTo(RunStatus.RETRY_WAIT);
        assertThat(t.run().nextLaunch().orElseThrow().attempt()).isEqualTo(3);
    }

    @Test
    void shouldRelaunchWhenARetriedLaunchFindsNoSpotCapacity() {
        var job = job(Capacity.SPOT_FIRST, retries(2, FailureKind.START_FAILURE));
        Run waiting = apply(job, newRun(job), new AttemptEnded(1, new StepOutcome.StartFailed("ENI", true),
                T0.plusSeconds(1))).run();

        Transition t = apply(job, waiting, new AttemptEnded(2, new StepOutcome.CapacityUnavailable("none"),
                T0.plusSeconds(40)));

        assertThat(t.run().status()).isEqualTo(RunStatus.PENDING);
    }

    @Test
    void shouldIgnoreAnOutcomeDeliveredTwice() {
        var job = job(Capacity.SPOT_FIRST, retries(1));
        Run done = apply(job, running(job), new AttemptEnded(1, new StepOutcome.Succeeded(), T0.plusSeconds(5))).run();

        Transition again = apply(job, done, new AttemptEnded(1, new StepOutcome.Exited(1), T0.plusSeconds(6)));

        assertThat(again.run()).isSameAs(done);
        assertThat(again.commands()).isEmpty();
    }

    @Test
    void shouldIgnoreAnOutcomeOfAnEarlierAttempt() {
        var job = job(Capacity.SPOT_FIRST, retries(2, FailureKind.EXIT_CODE));
        Run waiting = apply(job, running(job), new AttemptEnded(1, new StepOutcome.Exited(1), T0.plusSeconds(5))).run();
        Run second = apply(job, waiting, launched(2, Capacity.SPOT_FIRST, T0.plusSeconds(35))).run();

        Transition stale = apply(job, second, new AttemptEnded(1, new StepOutcome.Exited(1), T0.plusSeconds(36)));

        assertThat(stale.run()).isSameAs(second);
    }

    @Test
    void shouldAskToStopOnlyOnceWhenTheDeadlineIsReportedTwice() {
        var job = job(Capacity.SPOT_FIRST, retries(1));
        Run stopping = apply(job, running(job), new DeadlineReached(T0.plusSeconds(601))).run();

        Transition again = apply(job, stopping, new DeadlineReached(T0.plusSeconds(602)));

        assertThat(again.commands()).isEmpty();
        assertThat(again.run().status()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void shouldIgnoreACancelAfterTheEnd() {
        var job = job(Capacity.SPOT_FIRST, retries(1));
        Run done = apply(job, running(job), new AttemptEnded(1, new StepOutcome.Succeeded(), T0.plusSeconds(5))).run();

        assertThat(apply(job, done, new CancelRequested("late", T0.plusSeconds(9))).run()).isSameAs(done);
    }

    @Test
    void shouldKeepASuccessThatRaceAheadOfAStop() {
        var job = job(Capacity.SPOT_FIRST, retries(1));
        Run stopping = apply(job, running(job), new CancelRequested("by hand", T0.plusSeconds(2))).run();

        Run done = apply(job, stopping, new AttemptEnded(1, new StepOutcome.Succeeded(), T0.plusSeconds(3))).run();

        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(Duration.between(done.createdAt(), done.endedAt().orElseThrow())).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void shouldKeepEachLaunchsCostWhenSpotInterruptsAndTheRelaunchEnds() {
        // Given a spot launch that Spot interrupts, with its cost
        var job = job(Capacity.SPOT_FIRST, retries(1));
        Run interrupted = apply(job, running(job), new AttemptEnded(1, new StepOutcome.SpotInterrupted("SpotInterruption"),
                T0.plusSeconds(50), Optional.of(new BigDecimal("0.000123")))).run();
        Run again = apply(job, interrupted, launched(1, Capacity.ON_DEMAND, T0.plusSeconds(51))).run();

        // When the on-demand relaunch ends with its own cost
        Run done = apply(job, again, new AttemptEnded(1, new StepOutcome.Succeeded(), T0.plusSeconds(90),
                Optional.of(new BigDecimal("0.000456")))).run();

        // Then each launch holds its own cost, and a duplicate end changes nothing
        assertThat(done.attempts()).extracting(Attempt::costUsd)
                .containsExactly(Optional.of(new BigDecimal("0.000123")), Optional.of(new BigDecimal("0.000456")));
        assertThat(apply(job, done, new AttemptEnded(1, new StepOutcome.Succeeded(), T0.plusSeconds(91),
                Optional.of(BigDecimal.ONE))).run()).isSameAs(done);
    }

    @Test
    void shouldHaveNoCostWhenTheLauncherReportsNone() {
        // Given a running attempt, and a launch that fails before any task exists
        var job = job(Capacity.SPOT_FIRST, retries(2, FailureKind.START_FAILURE));

        // When each ends without a cost
        Run running = running(job);
        Attempt whileRunning = running.currentAttempt().orElseThrow();
        Run ended = apply(job, running, new AttemptEnded(1, new StepOutcome.Succeeded(), T0.plusSeconds(5))).run();
        Run failedLaunch = apply(job, newRun(job), new AttemptEnded(1, new StepOutcome.StartFailed("ENI", true),
                T0.plusSeconds(1))).run();

        // Then none is recorded
        assertThat(whileRunning.costUsd()).isEmpty();
        assertThat(ended.attempts()).singleElement().satisfies(a -> assertThat(a.costUsd()).isEmpty());
        assertThat(failedLaunch.attempts()).singleElement().satisfies(a -> assertThat(a.costUsd()).isEmpty());
    }
}
