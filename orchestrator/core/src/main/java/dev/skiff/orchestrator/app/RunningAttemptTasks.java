package dev.skiff.orchestrator.app;

import dev.skiff.orchestrator.domain.TaskEnvironment;
import dev.skiff.orchestrator.port.TaskFleet;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.orchestrator.port.TaskView;
import java.util.Map;
import java.util.Optional;

/**
 * The task running an attempt whose task its engine does not know yet: the Step Functions engine learns an attempt's
 * task from the task's answer, when it ends, but a follower of the attempt's log needs it while it runs. Found among
 * the fleet's running tasks by the {@code SKIFF_*} variables the launcher gave the task. Without a fleet (the
 * embedded engine, which records each task as it starts) there is nothing to find.
 */
public final class RunningAttemptTasks {

    private final Optional<TaskFleet> fleet;

    private RunningAttemptTasks(Optional<TaskFleet> fleet) {
        this.fleet = fleet;
    }

    public static RunningAttemptTasks of(TaskFleet fleet) {
        return new RunningAttemptTasks(Optional.of(fleet));
    }

    public static RunningAttemptTasks none() {
        return new RunningAttemptTasks(Optional.empty());
    }

    /** The id of the running task of the attempt, when there is one. */
    public Optional<String> taskOf(String runId, String step, int item, int attempt) {
        return fleet.flatMap(tasks -> tasks.running().stream()
                .filter(task -> runs(task.environment(), runId, step, item, attempt))
                .map(TaskView::taskId).findFirst());
    }

    private static boolean runs(Map<String, String> env, String runId, String step, int item, int attempt) {
        return runId.equals(env.get(TaskEnvironment.RUN_ID)) && step.equals(env.get(TaskEnvironment.STEP))
                && String.valueOf(attempt).equals(env.get(TaskEnvironment.ATTEMPT))
                && (item == TaskRequest.NO_ITEM || String.valueOf(item).equals(env.get(TaskEnvironment.ITEM_INDEX)));
    }
}
