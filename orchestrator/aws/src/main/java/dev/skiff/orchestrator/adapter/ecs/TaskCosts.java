package dev.skiff.orchestrator.adapter.ecs;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * What a stopped task cost, from its own document: Fargate bills from the start of the image pull
 * ({@code pullStartedAt}, else {@code startedAt}) to {@code stoppedAt}, at the task's cpu and memory, with
 * the Spot discount when it ran on FARGATE_SPOT. A task that never began to pull its image is not billed.
 */
final class TaskCosts {

    private TaskCosts() {
    }

    /**
     * @param cpuUnits  the spec's cpu, used when the task document has none
     * @param memoryMiB the spec's memory, likewise
     * @return empty when the task has not stopped
     */
    static Optional<BigDecimal> of(Task task, int cpuUnits, int memoryMiB, FargatePrices prices) {
        if (task.stoppedAt() == null) {
            return Optional.empty();
        }
        Instant from = task.pullStartedAt() != null ? task.pullStartedAt() : task.startedAt();
        if (from == null) {
            return Optional.of(BigDecimal.ZERO.setScale(FargatePrices.SCALE));
        }
        // A task with no capacity provider is priced on-demand: an estimate should not undercount.
        boolean spot = CapacityProvider.FARGATE_SPOT.ecsName().equals(task.capacityProviderName());
        return Optional.of(prices.estimate(units(task.cpu(), cpuUnits), units(task.memory(), memoryMiB), spot,
                Duration.between(from, task.stoppedAt())));
    }

    private static int units(String fromTask, int fromSpec) {
        try {
            return fromTask == null ? fromSpec : Integer.parseInt(fromTask);
        } catch (NumberFormatException e) {
            return fromSpec;
        }
    }
}
