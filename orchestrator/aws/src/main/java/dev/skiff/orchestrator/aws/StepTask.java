package dev.skiff.orchestrator.aws;

import dev.skiff.orchestrator.domain.TaskEnvironment;
import dev.skiff.orchestrator.port.TaskEnd;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.orchestrator.port.UnitIds;
import dev.skiff.orchestrator.port.TaskView;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Which step of which run a task runs, read from the environment Skiff gave the task when it launched it (on
 * Fargate, the job container's override). The task carries everything needed to answer for it (the sealed task token above
 * all), so nothing has to be remembered between the launch and the task's end, across restarts or replicas.
 *
 * @param item        the item's index in a forEach step's items; {@link TaskRequest#NO_ITEM} for a step that runs once
 * @param taskToken   the opened token: kept in memory, never logged ({@link #toString()} leaves it out)
 * @param environment the whole override, which a relaunch after a Spot interruption passes on unchanged
 */
public record StepTask(String taskArn, String runId, String job, String step, int item, int attempt, String taskToken,
                       Map<String, String> environment) {

    private static final Logger LOG = Logger.getLogger(StepTask.class);

    public StepTask {
        environment = Map.copyOf(environment);
    }

    /**
     * Empty for a task that is not a Step Functions step of Skiff's (no token, or not Skiff's at all), and for one
     * whose sealed token does not open for its step: changed, copied from another task, or sealed with a key no
     * longer configured. Such a task is never answered for; its step ends by its heartbeat timeout.
     */
    public static Optional<StepTask> of(TaskView task, TaskTokenSeal seal) {
        return of(task.taskId(), task.environment(), seal);
    }

    /** The step of an ended task, as {@link #of(TaskView, TaskTokenSeal)} reads it. */
    public static Optional<StepTask> of(TaskEnd end, TaskTokenSeal seal) {
        return of(end.report().taskArn(), end.environment(), seal);
    }

    private static Optional<StepTask> of(String taskArn, Map<String, String> env, TaskTokenSeal seal) {
        String sealed = env.get(TaskEnvironment.SEALED_TASK_TOKEN);
        String runId = env.get(TaskEnvironment.RUN_ID);
        String job = env.get(TaskEnvironment.JOB);
        String step = env.getOrDefault(TaskEnvironment.STEP, "main");
        Optional<Integer> attempt = number(env.get(TaskEnvironment.ATTEMPT));
        Optional<Integer> item = env.containsKey(TaskEnvironment.ITEM_INDEX)
                ? number(env.get(TaskEnvironment.ITEM_INDEX)).filter(i -> i >= 0) : Optional.of(TaskRequest.NO_ITEM);
        if (sealed == null || runId == null || job == null || attempt.isEmpty() || item.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> token = seal.open(sealed, StepLauncher.sealedFor(runId, step, item.get(), attempt.get()));
        if (token.isEmpty()) {
            LOG.warnf("task %s (run %s, step %s, attempt %d): its sealed task token does not open with the configured"
                            + " keys %s (changed, copied from another task, or sealed with a key since removed from"
                            + " skiff.sfn.token-keys); Skiff will not answer for it", taskArn, runId, step,
                    attempt.get(), seal.keyIds());
            return Optional.empty();
        }
        return Optional.of(new StepTask(taskArn, runId, job, step, item.get(), attempt.get(), token.get(), env));
    }

    @Override
    public String toString() {
        return "StepTask[" + taskArn + ", " + unitId() + ", job " + job + "]";
    }

    /** {@code <run id>/<step>[<item>]/<attempt>}. */
    public String unitId() {
        return UnitIds.of(runId, step, item, attempt);
    }

    private static Optional<Integer> number(String value) {
        try {
            return value == null ? Optional.empty() : Optional.of(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
