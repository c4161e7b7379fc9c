package dev.skiff.orchestrator.port;

import dev.skiff.jobs.Capacity;
import dev.skiff.jobs.JobSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One attempt to launch.
 *
 * @param environment  the spec's environment, the run's parameters and Skiff's own SKIFF_* variables
 * @param capacity     where to run this attempt; on-demand after a Spot fallback
 */
public record TaskRequest(
        String runId,
        JobSpec job,
        String step,
        int attempt,
        List<String> commandLine,
        Map<String, String> environment,
        Duration timeout,
        Capacity capacity) {

    public TaskRequest {
        commandLine = List.copyOf(commandLine);
        environment = Map.copyOf(environment);
    }
}
