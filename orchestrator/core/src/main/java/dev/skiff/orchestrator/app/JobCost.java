package dev.skiff.orchestrator.app;

import java.math.BigDecimal;

/**
 * One job's share of a {@link CostReport}; the fields mean what the report's own do.
 *
 * @param owner the team that owns the job; null when the job is no longer registered
 */
public record JobCost(String job, String owner, int runs, int attempts, BigDecimal dollars, BigDecimal onDemandDollars,
                      BigDecimal savedDollars, BigDecimal spotShare, int fallbacks, int interruptions) {
}
