package dev.skiff.orchestrator.adapter.ecs;

import dev.skiff.jobs.Capacity;
import dev.skiff.orchestrator.port.LaunchFailedException;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.workflows.StepOutcome;
import org.jboss.logging.Logger;

/**
 * Starts one attempt's task where its capacity says: Fargate Spot first and on-demand at once when Spot has no
 * capacity (spot-first jobs), Spot only, or on-demand only. {@link FargateTaskLauncher} launches through it for
 * both runtimes.
 */
final class SpotFirst {

    private static final Logger LOG = Logger.getLogger(SpotFirst.class);

    private final TaskDefinitionRegistry definitions;
    private final TaskStarter starter;
    private final FargateMetrics metrics;

    SpotFirst(TaskDefinitionRegistry definitions, TaskStarter starter, FargateMetrics metrics) {
        this.definitions = definitions;
        this.starter = starter;
        this.metrics = metrics;
    }

    /**
     * @param generation how many of this attempt's tasks Spot interrupted already (each relaunch needs a new client token)
     * @throws LaunchFailedException when no task was started
     */
    StartedTask start(TaskRequest request, int generation) {
        String definition = definitions.arnFor(request.job(), request.step());
        if (request.capacity() == Capacity.ON_DEMAND) {
            return starter.start(request, definition, CapacityProvider.FARGATE, generation);
        }
        try {
            return starter.start(request, definition, CapacityProvider.FARGATE_SPOT, generation);
        } catch (NoSpotCapacity e) {
            if (request.capacity() == Capacity.SPOT_ONLY) {
                throw new LaunchFailedException(new StepOutcome.CapacityUnavailable(e.reason()),
                        "run " + request.runId() + ": no Fargate Spot capacity: " + e.reason(), e);
            }
            // The exact phrase "no Fargate Spot capacity" is what infra's metric filter counts as a fallback.
            LOG.infof("run %s: no Fargate Spot capacity (%s); launching attempt %d on-demand", request.runId(),
                    e.reason(), request.attempt());
            metrics.fellBack(request.job().name(), e.reason());
            return starter.start(request, definition, CapacityProvider.FARGATE, generation);
        }
    }

    void deregisterAll(String job) {
        definitions.deregisterAll(job);
    }
}
