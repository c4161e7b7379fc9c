package dev.skiff.orchestrator.app;

import dev.skiff.jobs.Capacity;
import dev.skiff.jobs.Resources;
import dev.skiff.orchestrator.port.TaskPricing;
import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.StepOutcome;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The sums behind a {@link CostReport}, kept exact while attempts are added and rounded once when shown. What each
 * attempt counts for is read from what both engines record of it: where it ran ({@code ranOn}), the capacity it was
 * launched with, its outcome, its start and end, and the launcher's cost estimate.
 */
final class CostTally {

    static final String SPOT = "spot";
    static final String ON_DEMAND = "on-demand";
    static final String LOCAL = "local";
    /** Dollars are shown to a hundredth of a cent; fractions to four places too. */
    static final int SCALE = 4;

    private int runs;
    private int attempts;
    private int fallbacks;
    private int interruptions;
    private BigDecimal dollars = BigDecimal.ZERO;
    private BigDecimal onDemandDollars = BigDecimal.ZERO;
    private long taskMillis;
    private long spotMillis;

    void addRun() {
        runs++;
    }

    /**
     * Adds one unit's attempts (a step, or one item of a forEach step), in the order they were launched: a task Spot
     * interrupted comes before the task that ran its attempt again.
     *
     * @param size the unit's resources, to price its Spot task-seconds on-demand; empty when the spec is unknown
     */
    void addUnit(List<Attempt> unit, Optional<Resources> size, TaskPricing pricing) {
        Attempt before = null;
        for (Attempt attempt : unit) {
            add(attempt, before, size, pricing);
            before = attempt;
        }
    }

    private void add(Attempt attempt, Attempt before, Optional<Resources> size, TaskPricing pricing) {
        attempts++;
        boolean interrupted = attempt.outcome().filter(StepOutcome.SpotInterrupted.class::isInstance).isPresent();
        if (interrupted) {
            interruptions++;
        }
        if (isFallback(attempt, before)) {
            fallbacks++;
        }
        if (attempt.endedAt().isEmpty()) {
            return; // still running: it has no cost yet
        }
        long millis = Math.max(0, Duration.between(attempt.startedAt(), attempt.endedAt().get()).toMillis());
        boolean spot = SPOT.equals(attempt.ranOn());
        taskMillis += millis;
        if (spot) {
            spotMillis += millis;
        }
        if (LOCAL.equals(attempt.ranOn())) {
            return; // a local process costs nothing
        }
        BigDecimal cost = attempt.costUsd().orElse(BigDecimal.ZERO);
        dollars = dollars.add(cost);
        onDemandDollars = onDemandDollars.add(spot ? onDemand(cost, size, pricing) : cost);
    }

    /**
     * An attempt that ran on-demand though it was launched to run on Spot: Spot had no capacity. A task that ran an
     * attempt again after Spot interrupted it is not one (the Step Functions runtime relaunches on-demand, and records
     * the attempt's capacity as the job's).
     */
    private static boolean isFallback(Attempt attempt, Attempt before) {
        boolean relaunch = before != null && before.number() == attempt.number()
                && before.outcome().filter(StepOutcome.SpotInterrupted.class::isInstance).isPresent();
        return ON_DEMAND.equals(attempt.ranOn()) && attempt.capacity() != Capacity.ON_DEMAND && !relaunch;
    }

    /**
     * The Spot cost at the on-demand rate: both are the same seconds at a rate per hour, so the ratio of the rates
     * gives it exactly. Without both rates, no saving is claimed.
     */
    private static BigDecimal onDemand(BigDecimal spotCost, Optional<Resources> size, TaskPricing pricing) {
        if (size.isEmpty()) {
            return spotCost;
        }
        Optional<BigDecimal> spotRate = pricing.hourly(size.get(), true).filter(r -> r.signum() > 0);
        Optional<BigDecimal> onDemandRate = pricing.hourly(size.get(), false);
        if (spotRate.isEmpty() || onDemandRate.isEmpty()) {
            return spotCost;
        }
        return spotCost.multiply(onDemandRate.get()).divide(spotRate.get(), MathContext.DECIMAL64);
    }

    void add(CostTally other) {
        runs += other.runs;
        attempts += other.attempts;
        fallbacks += other.fallbacks;
        interruptions += other.interruptions;
        dollars = dollars.add(other.dollars);
        onDemandDollars = onDemandDollars.add(other.onDemandDollars);
        taskMillis += other.taskMillis;
        spotMillis += other.spotMillis;
    }

    int runs() {
        return runs;
    }

    BigDecimal dollars() {
        return money(dollars);
    }

    JobCost jobCost(String job, String owner) {
        return new JobCost(job, owner, runs, attempts, money(dollars), money(onDemandDollars), saved(), spotShare(),
                fallbacks, interruptions);
    }

    CostReport report(Instant since, Instant until, String job, String owner, List<JobCost> jobs, boolean truncated) {
        return new CostReport(since, until, job, owner, runs, attempts, money(dollars), money(onDemandDollars), saved(),
                spotShare(), fallbacks, interruptions, jobs, truncated ? Boolean.TRUE : null);
    }

    /** From the rounded figures, so that what is shown adds up. */
    private BigDecimal saved() {
        return money(onDemandDollars).subtract(money(dollars));
    }

    private BigDecimal spotShare() {
        if (taskMillis == 0) {
            return BigDecimal.ZERO.setScale(SCALE);
        }
        return BigDecimal.valueOf(spotMillis).divide(BigDecimal.valueOf(taskMillis), SCALE, RoundingMode.HALF_UP);
    }

    private static BigDecimal money(BigDecimal exact) {
        return exact.setScale(SCALE, RoundingMode.HALF_UP);
    }
}
