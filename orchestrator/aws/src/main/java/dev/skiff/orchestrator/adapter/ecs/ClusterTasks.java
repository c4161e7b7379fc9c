package dev.skiff.orchestrator.adapter.ecs;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Skiff's tasks in the cluster, as ECS lists them: found by their {@code startedBy}, never by a list the orchestrator
 * keeps, so that any replica, or the same one after a restart, sees them all.
 */
final class ClusterTasks {

    private final EcsClient ecs;
    private final FargateOptions options;

    ClusterTasks(EcsClient ecs, FargateOptions options) {
        this.ecs = ecs;
        this.options = options;
    }

    /** Skiff's tasks in the cluster with this desired status (ECS shows a stopped task for about an hour). */
    List<Task> withDesiredStatus(DesiredStatus status) {
        List<String> arns = new ArrayList<>();
        ecs.listTasksPaginator(r -> r.cluster(options.cluster()).desiredStatus(status)).taskArns().forEach(arns::add);
        return AttemptTasks.describe(ecs, options.cluster(), arns).stream()
                .filter(task -> task.startedBy() != null && task.startedBy().startsWith(RunTaskRequests.STARTED_BY_PREFIX))
                .toList();
    }

    /** The tasks of a run's attempts 1 to {@code attempts} that have not stopped. */
    List<Task> runningTasksOf(String runId, int attempts) {
        List<Task> found = new ArrayList<>();
        for (int attempt = 1; attempt <= attempts; attempt++) {
            String startedBy = RunTaskRequests.startedBy(runId, attempt);
            List<String> arns = new ArrayList<>();
            ecs.listTasksPaginator(r -> r.cluster(options.cluster()).startedBy(startedBy).desiredStatus(DesiredStatus.RUNNING))
                    .taskArns().forEach(arns::add);
            found.addAll(AttemptTasks.describe(ecs, options.cluster(), arns));
        }
        return found;
    }
}
