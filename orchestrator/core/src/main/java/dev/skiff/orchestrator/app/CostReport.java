package dev.skiff.orchestrator.app;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * What the attempts of runs started within {@code [since, until)} cost: of one job, or of several (then with each
 * job's share, dearest first). Dollars are USD rounded to 4 places; {@code spotShare} is a fraction of 0 to 1.
 *
 * @param job             the job of a one-job report; null for a report of several
 * @param owner           the team the report was filtered by; null when none
 * @param runs            runs started in the period
 * @param attempts        their attempts, each task counted (a task Spot interrupted, and its relaunch, are two)
 * @param dollars         what was spent: Spot tasks at the Spot price, on-demand ones at the on-demand price
 * @param onDemandDollars what the same task-seconds would have cost had every one run on-demand
 * @param savedDollars    {@code onDemandDollars - dollars}
 * @param spotShare       the share of task-seconds that ran on Fargate Spot
 * @param fallbacks       attempts that ran on-demand because Spot had no capacity
 * @param interruptions   tasks Fargate Spot took back
 * @param jobs            each job's share, dearest first; null for a one-job report
 * @param truncated       true when not every run of the period was read (the report's bound on runs was reached);
 *                        null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CostReport(Instant since, Instant until, String job, String owner, int runs, int attempts,
                         BigDecimal dollars, BigDecimal onDemandDollars, BigDecimal savedDollars, BigDecimal spotShare,
                         int fallbacks, int interruptions, List<JobCost> jobs, Boolean truncated) {

    public CostReport {
        jobs = jobs == null ? null : List.copyOf(jobs);
    }
}
