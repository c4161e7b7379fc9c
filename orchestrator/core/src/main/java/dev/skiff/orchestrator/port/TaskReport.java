package dev.skiff.orchestrator.port;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the answering side knows about the task that ran a step, beside its outcome.
 *
 * @param taskArn   the ECS task (or another launcher's task id)
 * @param capacity  where it ran: "spot", "on-demand"
 * @param startedAt when the task started (ECS {@code startedAt}); empty if it never did
 * @param stoppedAt when it stopped
 * @param costUsd   the launcher's estimate, when it has one
 */
public record TaskReport(String taskArn, String capacity, Optional<Instant> startedAt, Optional<Instant> stoppedAt,
                         Optional<BigDecimal> costUsd) {

    public TaskReport {
        Objects.requireNonNull(taskArn, "taskArn");
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(stoppedAt, "stoppedAt");
        Objects.requireNonNull(costUsd, "costUsd");
    }
}
