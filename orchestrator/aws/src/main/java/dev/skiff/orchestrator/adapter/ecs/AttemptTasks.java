package dev.skiff.orchestrator.adapter.ecs;

import dev.skiff.jobs.StepSpec;

import dev.skiff.orchestrator.port.TaskRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskField;
import software.amazon.awssdk.services.ecs.model.TaskStopCode;

/**
 * Finds the task an earlier RunTask of this attempt may have started although its answer never came
 * (a timeout, a 5xx, an empty answer): ListTasks by the attempt's {@code startedBy}, then DescribeTasks
 * to check its tags and capacity provider. A task Spot already interrupted is never taken: the relaunch
 * after it is exactly the new task being asked for.
 */
final class AttemptTasks {

    private final EcsClient ecs;
    private final FargateOptions options;

    AttemptTasks(EcsClient ecs, FargateOptions options) {
        this.ecs = ecs;
        this.options = options;
    }

    Optional<Task> find(TaskRequest request, CapacityProvider provider) {
        return all(request).stream()
                .filter(task -> provider.ecsName().equals(task.capacityProviderName()))
                .filter(task -> task.stopCode() != TaskStopCode.SPOT_INTERRUPTION)
                .findFirst();
    }

    /** The attempt's task on either capacity that Spot has not interrupted: the one a repeated launch must not duplicate. */
    Optional<Task> findAny(TaskRequest request) {
        return replacementOf(all(request), "");
    }

    /**
     * The task that already replaced {@code interruptedArn}, if a repeated event got here first. The interrupted task
     * itself never counts, even while DescribeTasks, lagging behind the event, still shows it running.
     */
    static Optional<Task> replacementOf(List<Task> tasks, String interruptedArn) {
        return tasks.stream()
                .filter(task -> task.stopCode() != TaskStopCode.SPOT_INTERRUPTION)
                .filter(task -> !task.taskArn().equals(interruptedArn))
                .findFirst();
    }

    /**
     * How many of the attempt's tasks Spot interrupted, {@code interruptedArn} among them whatever DescribeTasks says
     * of it yet: the generation of its next relaunch, which gives the relaunch a client token of its own.
     */
    static int interrupted(List<Task> tasks, String interruptedArn) {
        long others = tasks.stream()
                .filter(task -> task.stopCode() == TaskStopCode.SPOT_INTERRUPTION)
                .filter(task -> !task.taskArn().equals(interruptedArn))
                .count();
        return (int) others + 1;
    }

    /** The first of {@code arns} (from ECS's own answer, so no listing that may lag) that is the attempt's. */
    Optional<Task> named(TaskRequest request, List<String> arns) {
        return describe(ecs, options.cluster(), arns, TaskField.TAGS).stream()
                .filter(task -> belongsTo(task, request))
                .findFirst();
    }

    /** Every task of the attempt, running or stopped, whose tags say it is the attempt's. */
    List<Task> all(TaskRequest request) {
        String startedBy = RunTaskRequests.startedBy(request);
        List<String> arns = new ArrayList<>();
        for (DesiredStatus status : List.of(DesiredStatus.RUNNING, DesiredStatus.STOPPED)) {
            ecs.listTasksPaginator(r -> r.cluster(options.cluster()).startedBy(startedBy).desiredStatus(status))
                    .taskArns().forEach(arns::add);
        }
        return describe(ecs, options.cluster(), arns, TaskField.TAGS).stream()
                .filter(task -> belongsTo(task, request))
                .toList();
    }

    /** DescribeTasks over any number of tasks, {@value TaskWatcher#BATCH} a call. */
    static List<Task> describe(EcsClient ecs, String cluster, List<String> arns, TaskField... include) {
        List<Task> tasks = new ArrayList<>();
        for (int from = 0; from < arns.size(); from += TaskWatcher.BATCH) {
            List<String> batch = arns.subList(from, Math.min(arns.size(), from + TaskWatcher.BATCH));
            tasks.addAll(ecs.describeTasks(r -> {
                r.cluster(cluster).tasks(batch);
                if (include.length > 0) {
                    r.include(include);
                }
            }).tasks());
        }
        return tasks;
    }

    private static boolean belongsTo(Task task, TaskRequest request) {
        Map<String, String> tags = RunTaskRequests.tagsOf(task.tags());
        String item = request.item() == TaskRequest.NO_ITEM ? null : Integer.toString(request.item());
        return request.runId().equals(tags.get(RunTaskRequests.RUN_ID_TAG))
                && Integer.toString(request.attempt()).equals(tags.get(RunTaskRequests.ATTEMPT_TAG))
                && request.step().equals(tags.getOrDefault(RunTaskRequests.STEP_TAG, StepSpec.MAIN))
                && java.util.Objects.equals(item, tags.get(RunTaskRequests.ITEM_TAG));
    }
}
