package dev.skiff.orchestrator.aws;

import dev.skiff.orchestrator.adapter.ecs.TaskOutcomes;
import dev.skiff.orchestrator.domain.TaskEnvironment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.ContainerOverride;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Which step of which run an ECS task runs, read from the environment Skiff put into the task's container
 * override when it launched it. The task carries everything needed to answer for it (the task token above all),
 * so nothing has to be remembered between the launch and the task's end, across restarts or replicas.
 *
 * @param environment the whole override, which a relaunch after a Spot interruption passes on unchanged
 */
public record StepTask(String taskArn, String runId, String job, String step, int attempt, String taskToken,
                       Map<String, String> environment) {

    public StepTask {
        environment = Map.copyOf(environment);
    }

    /** Empty for a task that is not a Step Functions step of Skiff's (no token, or not Skiff's at all). */
    public static Optional<StepTask> of(Task task) {
        if (task.overrides() == null || !task.overrides().hasContainerOverrides()) {
            return Optional.empty();
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (ContainerOverride override : task.overrides().containerOverrides()) {
            if (TaskOutcomes.CONTAINER.equals(override.name()) && override.hasEnvironment()) {
                for (KeyValuePair pair : override.environment()) {
                    env.put(pair.name(), pair.value());
                }
            }
        }
        String token = env.get(TaskEnvironment.TASK_TOKEN);
        String runId = env.get(TaskEnvironment.RUN_ID);
        String job = env.get(TaskEnvironment.JOB);
        Optional<Integer> attempt = number(env.get(TaskEnvironment.ATTEMPT));
        if (token == null || runId == null || job == null || attempt.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new StepTask(task.taskArn(), runId, job, env.getOrDefault(TaskEnvironment.STEP, "main"),
                attempt.get(), token, env));
    }

    private static Optional<Integer> number(String value) {
        try {
            return value == null ? Optional.empty() : Optional.of(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
