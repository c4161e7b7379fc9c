package dev.skiff.orchestrator.aws;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.adapter.sfn.CancelledExecutions;
import dev.skiff.orchestrator.domain.TaskEnvironment;
import dev.skiff.orchestrator.port.TaskFleet;
import dev.skiff.orchestrator.port.TaskView;
import dev.skiff.workflows.RunIds;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Stops the task of a cancelled run: StopExecution ends the execution, not the task it launched. The task is found
 * by its attempts' {@code startedBy}. Should ECS fail here, the reconciler stops the task on its next sweep, once
 * the step's heartbeat is refused.
 */
public final class StepCancellation implements CancelledExecutions {

    private static final Logger LOG = Logger.getLogger(StepCancellation.class);

    private final TaskFleet fleet;
    private final Function<String, Optional<JobSpec>> jobs;

    public StepCancellation(TaskFleet fleet, Function<String, Optional<JobSpec>> jobs) {
        this.fleet = fleet;
        this.jobs = jobs;
    }

    @Override
    public void stopped(String runId, String reason) {
        Optional<JobSpec> job = jobs.apply(RunIds.jobOf(runId));
        if (job.isEmpty()) {
            return;
        }
        try {
            for (TaskView task : tasksOf(runId, job.get())) {
                fleet.stopTask(task.taskId(), "Skiff: cancelled: " + reason);
                LOG.infof("run %s: cancelled; stopping task %s", runId, task.taskId());
            }
        } catch (SdkException e) {
            LOG.warnf("run %s: cancelled, but its task could not be stopped now (the reconciler will): %s", runId,
                    e.getMessage());
        }
    }

    /**
     * The run's running tasks. A single-step job's are found by their attempts' startedBy; a pipeline's units are too
     * many to name one by one (every step, item and attempt), so its tasks are picked from Skiff's running tasks by
     * the run id in their environment.
     */
    private List<TaskView> tasksOf(String runId, JobSpec job) {
        if (!job.isPipeline()) {
            return fleet.runningTasksOf(runId, job.retries().maxAttempts());
        }
        return fleet.running().stream()
                .filter(task -> runId.equals(task.environment().get(TaskEnvironment.RUN_ID)))
                .toList();
    }
}
