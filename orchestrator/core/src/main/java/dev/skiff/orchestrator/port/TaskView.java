package dev.skiff.orchestrator.port;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A task as the platform shows it now, in the ports' terms.
 *
 * @param lastStatus  the platform's status word ("RUNNING", "STOPPED", ...)
 * @param environment the environment the launcher gave the task (Skiff's SKIFF_* variables among it)
 * @param version     how many changes the platform has counted for the task; a higher one is newer
 * @param end         how the task ended, once it has stopped and if it runs an attempt of Skiff's
 */
public record TaskView(String taskId, String lastStatus, Optional<Instant> startedAt, Map<String, String> environment,
                       long version, Optional<TaskEnd> end) {

    public TaskView {
        environment = Map.copyOf(environment);
    }
}
