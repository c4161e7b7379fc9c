package dev.skiff.orchestrator.port;

import dev.skiff.jobs.JobSpec;
import java.util.List;

/**
 * Runs one attempt of a step somewhere (a local process, a Fargate task) and reports how it ended.
 * The engine owns deadlines and retries; a launcher only launches, stops and observes.
 */
public interface TaskLauncher {

    /**
     * Starts the attempt. Returns once the task exists; its end is reported to the listener later,
     * exactly once per attempt, on any thread.
     *
     * @throws LaunchFailedException when the task could not be started; the reason says why
     */
    LaunchedTask launch(TaskRequest request, TaskListener listener);

    /**
     * Watches a task launched by an earlier process of the orchestrator (after a restart). If the
     * task already ended, reports its outcome (or {@code Lost} when it cannot be known) at once.
     */
    void reattach(TaskRequest request, LaunchedTask task, TaskListener listener);

    /** Asks the task to stop. Its end is still reported through the listener. */
    void stop(LaunchedTask task, String reason);

    /**
     * Why a valid spec could never start with this launcher as configured, one violation line each (path, value,
     * rule); asked when a job is applied, so the spec is refused then rather than failing at its first launch.
     */
    default List<String> problemsWith(JobSpec job) {
        return List.of();
    }

    /** What an hour of a task costs where this launcher runs it; a launcher that knows no price knows none. */
    default TaskPricing pricing() {
        return TaskPricing.NONE;
    }
}
