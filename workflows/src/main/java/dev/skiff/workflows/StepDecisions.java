package dev.skiff.workflows;

import dev.skiff.jobs.Capacity;
import dev.skiff.jobs.FailureKind;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.RetryPolicy;
import dev.skiff.workflows.StepOutcome.Cancelled;
import dev.skiff.workflows.StepOutcome.CapacityUnavailable;
import dev.skiff.workflows.StepOutcome.Exited;
import dev.skiff.workflows.StepOutcome.Lost;
import dev.skiff.workflows.StepOutcome.SpotInterrupted;
import dev.skiff.workflows.StepOutcome.StartFailed;
import dev.skiff.workflows.StepOutcome.Succeeded;
import dev.skiff.workflows.StepOutcome.TimedOut;
import java.time.Duration;

/**
 * The pure rules for what follows a step's end. Both engines use them: the embedded engine calls
 * them directly, and the Step Functions engine gets the same answers from the compiled ASL Retry
 * block (for counted retries) and from the launcher (for Spot relaunches).
 */
public final class StepDecisions {

    private StepDecisions() {
    }

    /** As {@link #after(JobSpec, int, Capacity, int, Duration, StepOutcome)} for a first try of the attempt. */
    public static StepDecision after(JobSpec job, int attempt, Capacity ranOn, int relaunches, StepOutcome outcome) {
        return after(job, attempt, ranOn, relaunches, Duration.ZERO, outcome);
    }

    /**
     * @param attempt        the attempt that ended (1-based)
     * @param ranOn          the capacity that attempt was launched with
     * @param relaunches     how many uncounted relaunches this attempt has had (backs off spot-only waits)
     * @param sinceFirstTry  how long ago this attempt was first tried: a spot-only wait for capacity
     *                       ends within the job's timeout, as the step would have
     */
    public static StepDecision after(JobSpec job, int attempt, Capacity ranOn, int relaunches, Duration sinceFirstTry,
                                     StepOutcome outcome) {
        RetryPolicy policy = job.retries();
        if (outcome instanceof Succeeded) {
            return new StepDecision.Complete();
        }
        if (outcome instanceof StepOutcome.BadOutput b) {
            return new StepDecision.Fail(SkiffErrors.BAD_OUTPUT, b.reason(), false);
        }
        if (outcome instanceof Cancelled c) {
            return new StepDecision.Fail(SkiffErrors.CANCELLED, c.reason(), false);
        }
        if (outcome instanceof SpotInterrupted s) {
            return afterSpotLoss(job, relaunches, sinceFirstTry, s.reason());
        }
        if (outcome instanceof CapacityUnavailable c) {
            if (ranOn == Capacity.ON_DEMAND) {
                return failOrRetry(policy, attempt, job.capacity(), FailureKind.START_FAILURE,
                        SkiffErrors.START_FAILED, c.reason());
            }
            return afterSpotLoss(job, relaunches, sinceFirstTry, c.reason());
        }
        if (outcome instanceof Exited e) {
            boolean codeRetries = policy.exitCodes().isEmpty() || policy.exitCodes().contains(e.exitCode());
            String error = SkiffErrors.exitCode(e.exitCode());
            String cause = "the job exited with code " + e.exitCode();
            return codeRetries
                    ? failOrRetry(policy, attempt, job.capacity(), FailureKind.EXIT_CODE, error, cause)
                    : new StepDecision.Fail(error, cause, false);
        }
        if (outcome instanceof TimedOut) {
            return failOrRetry(policy, attempt, job.capacity(), FailureKind.TIMEOUT, SkiffErrors.TIMEOUT,
                    "the attempt ran longer than the job's timeout of " + job.timeout());
        }
        if (outcome instanceof StartFailed s) {
            return s.retryable()
                    ? failOrRetry(policy, attempt, job.capacity(), FailureKind.START_FAILURE, SkiffErrors.START_FAILED, s.reason())
                    : new StepDecision.Fail(SkiffErrors.START_REJECTED, s.reason(), false);
        }
        Lost lost = (Lost) outcome;
        return failOrRetry(policy, attempt, job.capacity(), FailureKind.LOST, SkiffErrors.LOST, lost.reason());
    }

    /**
     * Spot took the capacity back or had none: spot-first moves to on-demand at once; spot-only
     * waits and tries Spot again, backing off like a retry (the engine's deadline bounds the wait).
     */
    private static StepDecision afterSpotLoss(JobSpec job, int relaunches, Duration sinceFirstTry, String reason) {
        if (job.capacity() == Capacity.SPOT_FIRST) {
            return new StepDecision.Relaunch(Capacity.ON_DEMAND, Duration.ZERO);
        }
        if (job.capacity() == Capacity.SPOT_ONLY) {
            Duration delay = RetryDelays.retryDelay(job.retries(), relaunches + 1);
            if (sinceFirstTry.plus(delay).compareTo(job.timeout()) > 0) {
                return new StepDecision.Fail(SkiffErrors.START_FAILED, "no Fargate Spot capacity within the job's timeout of "
                        + job.timeout() + " (spot-only; last reason: " + reason + ")", false);
            }
            return new StepDecision.Relaunch(Capacity.SPOT_ONLY, delay);
        }
        // An on-demand job never runs on Spot; if a launcher says otherwise, relaunch where the job belongs.
        return new StepDecision.Relaunch(Capacity.ON_DEMAND, Duration.ZERO);
    }

    private static StepDecision failOrRetry(RetryPolicy policy, int attempt, Capacity capacity, FailureKind kind,
                                            String error, String cause) {
        if (policy.retryOn().contains(kind) && attempt < policy.maxAttempts()) {
            return new StepDecision.Retry(attempt + 1, RetryDelays.retryDelay(policy, attempt), capacity);
        }
        String why = attempt >= policy.maxAttempts() && policy.retryOn().contains(kind)
                ? cause + " (attempt " + attempt + " of " + policy.maxAttempts() + ")"
                : cause;
        return new StepDecision.Fail(error, why, kind == FailureKind.TIMEOUT);
    }
}
