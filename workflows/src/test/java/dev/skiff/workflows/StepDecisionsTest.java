package dev.skiff.workflows;

import static dev.skiff.workflows.TestJobs.job;
import static dev.skiff.workflows.TestJobs.retries;
import static dev.skiff.workflows.TestJobs.retriesOnCodes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.Capacity;
import dev.skiff.jobs.FailureKind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StepDecisionsTest {

    @Test
    void shouldCompleteWhenTheProcessSucceeded() {
        var decision = StepDecisions.after(job(Capacity.SPOT_FIRST, retries(3, FailureKind.EXIT_CODE)), 1,
                Capacity.SPOT_FIRST, 0, new StepOutcome.Succeeded());

        assertThat(decision).isEqualTo(new StepDecision.Complete());
    }

    @Test
    void shouldRetryWithBackoffWhenExitCodesRetryAndAttemptsRemain() {
        // Given a job retrying any exit code up to 3 attempts, 30 s doubling
        var job = job(Capacity.SPOT_FIRST, retries(3, FailureKind.EXIT_CODE));

        // When attempts 1 and 2 exit 1
        var first = StepDecisions.after(job, 1, Capacity.SPOT_FIRST, 0, new StepOutcome.Exited(1));
        var second = StepDecisions.after(job, 2, Capacity.SPOT_FIRST, 0, new StepOutcome.Exited(1));

        // Then each is retried, the wait doubling
        assertThat(first).isEqualTo(new StepDecision.Retry(2, Duration.ofSeconds(30), Capacity.SPOT_FIRST));
        assertThat(second).isEqualTo(new StepDecision.Retry(3, Duration.ofSeconds(60), Capacity.SPOT_FIRST));
    }

    @Test
    void shouldFailWithTheExitCodeErrorWhenAttemptsAreExhausted() {
        var decision = StepDecisions.after(job(Capacity.SPOT_FIRST, retries(3, FailureKind.EXIT_CODE)), 3,
                Capacity.SPOT_FIRST, 0, new StepOutcome.Exited(4));

        assertThat(decision).isInstanceOfSatisfying(StepDecision.Fail.class, f -> {
            assertThat(f.error()).isEqualTo("Skiff.ExitCode.4");
            assertThat(f.cause()).contains("exited with code 4").contains("attempt 3 of 3");
            assertThat(f.timedOut()).isFalse();
        });
    }

    @Test
    void shouldNotRetryWhenTheExitCodeIsNotListed() {
        var decision = StepDecisions.after(job(Capacity.ON_DEMAND, retriesOnCodes(3, 75)), 1,
                Capacity.ON_DEMAND, 0, new StepOutcome.Exited(2));

        assertThat(decision).isInstanceOfSatisfying(StepDecision.Fail.class,
                f -> assertThat(f.error()).isEqualTo("Skiff.ExitCode.2"));
    }

    @Test
    void shouldRetryWhenTheListedExitCodeComes() {
        var decision = StepDecisions.after(job(Capacity.ON_DEMAND, retriesOnCodes(3, 75)), 1,
                Capacity.ON_DEMAND, 0, new StepOutcome.Exited(75));

        assertThat(decision).isInstanceOf(StepDecision.Retry.class);
    }

    @Test
    void shouldFailAsTimedOutWhenTimeoutsDoNotRetry() {
        var decision = StepDecisions.after(job(Capacity.SPOT_FIRST, retries(3, FailureKind.EXIT_CODE)), 1,
                Capacity.SPOT_FIRST, 0, new StepOutcome.TimedOut());

        assertThat(decision).isInstanceOfSatisfying(StepDecision.Fail.class, f -> {
            assertThat(f.error()).isEqualTo(SkiffErrors.TIMEOUT);
            assertThat(f.timedOut()).isTrue();
        });
    }

    @Test
    void shouldRelaunchOnDemandAtOnceWhenSpotFirstIsInterrupted() {
        var decision = StepDecisions.after(job(Capacity.SPOT_FIRST, retries(1)), 1, Capacity.SPOT_FIRST, 0,
                new StepOutcome.SpotInterrupted("SpotInterruption"));

        assertThat(decision).isEqualTo(new StepDecision.Relaunch(Capacity.ON_DEMAND, Duration.ZERO));
    }

    @Test
    void shouldWaitForSpotWithBackoffWhenSpotOnlyHasNoCapacity() {
        var job = job(Capacity.SPOT_ONLY, retries(1));

        var first = StepDecisions.after(job, 1, Capacity.SPOT_ONLY, 0, new StepOutcome.CapacityUnavailable("none"));
        var third = StepDecisions.after(job, 1, Capacity.SPOT_ONLY, 2, new StepOutcome.CapacityUnavailable("none"));

        assertThat(first).isEqualTo(new StepDecision.Relaunch(Capacity.SPOT_ONLY, Duration.ofSeconds(30)));
        assertThat(third).isEqualTo(new StepDecision.Relaunch(Capacity.SPOT_ONLY, Duration.ofSeconds(120)));
    }

    @Test
    void shouldStopWaitingForSpotWhenTheWaitWouldPassTheJobsTimeout() {
        // Given a spot-only job with a 10-minute timeout that has waited 9m45s for capacity
        var job = job(Capacity.SPOT_ONLY, retries(1));

        // When Spot again has no capacity and the next wait (30 s) would pass the timeout
        var decision = StepDecisions.after(job, 1, Capacity.SPOT_ONLY, 0, Duration.ofSeconds(585),
                new StepOutcome.CapacityUnavailable("Capacity is unavailable at this time"));

        // Then the step fails as a start failure, naming why
        assertThat(decision).isInstanceOfSatisfying(StepDecision.Fail.class, f -> {
            assertThat(f.error()).isEqualTo(SkiffErrors.START_FAILED);
            assertThat(f.cause()).contains("no Fargate Spot capacity within the job's timeout");
        });
    }

    @Test
    void shouldTreatMissingOnDemandCapacityAsAStartFailure() {
        var decision = StepDecisions.after(job(Capacity.ON_DEMAND, retries(2, FailureKind.START_FAILURE)), 1,
                Capacity.ON_DEMAND, 0, new StepOutcome.CapacityUnavailable("none"));

        assertThat(decision).isInstanceOf(StepDecision.Retry.class);
    }

    @Test
    void shouldNeverRetryAStartTheJobItselfBroke() {
        var decision = StepDecisions.after(job(Capacity.SPOT_FIRST, retries(5, FailureKind.START_FAILURE)), 1,
                Capacity.SPOT_FIRST, 0, new StepOutcome.StartFailed("CannotPullContainerError: not found", false));

        assertThat(decision).isInstanceOfSatisfying(StepDecision.Fail.class,
                f -> assertThat(f.error()).isEqualTo(SkiffErrors.START_REJECTED));
    }

    @Test
    void shouldRetryALostTaskWhenLostRetries() {
        var decision = StepDecisions.after(job(Capacity.SPOT_FIRST, retries(2, FailureKind.LOST)), 1,
                Capacity.SPOT_FIRST, 0, new StepOutcome.Lost("gone"));

        assertThat(decision).isEqualTo(new StepDecision.Retry(2, Duration.ofSeconds(30), Capacity.SPOT_FIRST));
    }

    @Test
    void shouldNeverRetryACancel() {
        var decision = StepDecisions.after(job(Capacity.SPOT_FIRST, retries(5, FailureKind.values())), 1,
                Capacity.SPOT_FIRST, 0, new StepOutcome.Cancelled("by hand"));

        assertThat(decision).isInstanceOfSatisfying(StepDecision.Fail.class,
                f -> assertThat(f.error()).isEqualTo(SkiffErrors.CANCELLED));
    }
}
