package dev.skiff.orchestrator.port;

import java.util.List;
import java.util.Optional;

/**
 * Where an attempt's output can be read back: local files for the process launcher, CloudWatch Logs for Fargate.
 * The API asks it for the end of one attempt's log, so a person sees a task's output wherever it ran.
 */
public interface TaskLogs {

    /**
     * One attempt's task, as the engine recorded it.
     *
     * @param job         the job the task ran for
     * @param step        the pipeline step ({@code main} for a single-step job)
     * @param taskId      its task id or ARN; may be blank when the task never started
     * @param logLocation where the launcher said its output goes; blank when the engine did not record it
     */
    record Task(String job, String step, String taskId, String logLocation) {
    }

    /**
     * The last {@code lines} lines of the task's output, oldest first; empty when this runtime keeps no log for it.
     * Throws {@link dev.skiff.orchestrator.domain.NotFoundException} when the log it names does not exist, and
     * {@link dev.skiff.orchestrator.domain.NotReadyException} when the store holding it cannot be read now.
     */
    Optional<List<String>> tail(Task task, int lines);

    /** This store's answer, else {@code other}'s: an attempt's log may be a local file or in CloudWatch. */
    default TaskLogs or(TaskLogs other) {
        return (task, lines) -> {
            Optional<List<String>> mine = tail(task, lines);
            return mine.isPresent() ? mine : other.tail(task, lines);
        };
    }
}
