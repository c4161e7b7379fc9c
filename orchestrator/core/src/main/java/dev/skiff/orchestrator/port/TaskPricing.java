package dev.skiff.orchestrator.port;

import dev.skiff.jobs.Resources;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * What an hour of a task of a given size costs where the launcher runs it, on Spot and on-demand: the cost reports
 * price a Spot attempt's task-seconds again at the on-demand rate to show what Spot saved.
 */
public interface TaskPricing {

    /** A launcher with no price (local processes): every hour is unknown. */
    TaskPricing NONE = (size, spot) -> Optional.empty();

    /**
     * @param size the step's resources: cpu, memory, ephemeral storage and architecture
     * @return USD per hour; empty when this launcher knows no price for that size
     */
    Optional<BigDecimal> hourly(Resources size, boolean spot);
}
