package dev.skiff.orchestrator.adapter.ecs;

import dev.skiff.jobs.Resources;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * What a stopped task cost, from its own document: Fargate bills from the start of the image pull
 * ({@code pullStartedAt}, else {@code startedAt}) to {@code stoppedAt}, at the task's cpu, memory and ephemeral
 * storage, at the prices of its region and CPU architecture, Spot's when it ran on FARGATE_SPOT. A task that never
 * began to pull its image is not billed.
 */
final class TaskCosts {

    private TaskCosts() {
    }

    /**
     * @param size the step's resources: its architecture (a task document does not name it), and its cpu, memory and
     *             storage where the document has none
     * @return empty when the task has not stopped, or the region has no price for the architecture
     */
    static Optional<BigDecimal> of(Task task, Resources size, RegionPrices prices) {
        if (task.stoppedAt() == null) {
            return Optional.empty();
        }
        Optional<FargatePrices> table = prices.of(size.architecture());
        if (table.isEmpty()) {
            return Optional.empty();
        }
        Instant from = task.pullStartedAt() != null ? task.pullStartedAt() : task.startedAt();
        if (from == null) {
            return Optional.of(BigDecimal.ZERO.setScale(FargatePrices.SCALE));
        }
        // A task with no capacity provider is priced on-demand: an estimate should not undercount.
        boolean spot = CapacityProvider.FARGATE_SPOT.ecsName().equals(task.capacityProviderName());
        int storage = task.ephemeralStorage() != null && task.ephemeralStorage().sizeInGiB() != null
                ? task.ephemeralStorage().sizeInGiB() : size.ephemeralStorageGiB();
        return Optional.of(table.get().estimate(units(task.cpu(), size.cpu()), units(task.memory(), size.memory()),
                storage, spot, Duration.between(from, task.stoppedAt())));
    }

    private static int units(String fromTask, int fromSpec) {
        try {
            return fromTask == null ? fromSpec : Integer.parseInt(fromTask);
        } catch (NumberFormatException e) {
            return fromSpec;
        }
    }
}
