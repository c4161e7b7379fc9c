package dev.skiff.orchestrator.adapter.ecs;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.port.LaunchFailedException;
import dev.skiff.orchestrator.port.LaunchedTask;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.workflows.StepOutcome;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Fargate as the Step Functions mode uses it. There the orchestrator keeps no list of its tasks: a launch is
 * found again by its {@code startedBy} and tags, and running or stopped tasks by asking ECS, so that any
 * replica, or the same one after a restart, can pick up where another left off. Nothing here polls; the
 * task-events queue and the reconciler say when to look.
 */
public final class FargateTasks {

    private static final Logger LOG = Logger.getLogger(FargateTasks.class);
    private final EcsClient ecs;
    private final FargateOptions options;
    private final FargateMetrics metrics;
    private final SpotFirst spotFirst;
    private final AttemptTasks attemptTasks;

    public FargateTasks(EcsClient ecs, FargateOptions options, FargateMetrics metrics) {
        this.ecs = ecs;
        this.options = options;
        this.metrics = metrics;
        this.spotFirst = new SpotFirst(new TaskDefinitionRegistry(ecs, options), new TaskStarter(ecs, options, metrics), metrics);
        this.attemptTasks = new AttemptTasks(ecs, options);
    }

    /**
     * Starts the attempt's task, Spot first as its capacity allows.
     *
     * @param lookFirst true when this launch may have been asked for before (a redelivered message): a task of
     *                  the attempt that exists already is returned instead of starting a second one
     * @throws LaunchFailedException when no task was started
     */
    public LaunchedTask launch(TaskRequest request, boolean lookFirst) {
        if (lookFirst) {
            Optional<Task> existing = attemptTasks.findAny(request);
            if (existing.isPresent()) {
                LOG.infof("run %s: attempt %d already has task %s; not launching another", request.runId(),
                        request.attempt(), existing.get().taskArn());
                metrics.adopted(request.job().name());
                return launched(request, existing.get(), CapacityProvider.FARGATE);
            }
        }
        return start(request, 0);
    }

    /**
     * After Spot interrupted one of the attempt's tasks: the task that already replaced it, if a repeated event
     * got here first, or a new one on the request's capacity. Each relaunch gets its own client token.
     *
     * @param interruptedArn the task Spot took back, never its own replacement
     */
    public LaunchedTask relaunch(TaskRequest request, String interruptedArn) {
        List<Task> tasks = attemptTasks.all(request);
        Optional<Task> replacement = AttemptTasks.replacementOf(tasks, interruptedArn);
        if (replacement.isPresent()) {
            return launched(request, replacement.get(), CapacityProvider.FARGATE);
        }
        return start(request, AttemptTasks.interrupted(tasks, interruptedArn));
    }

    /** Skiff's tasks in the cluster that ECS means to keep running. */
    public List<Task> running() {
        return tasks(DesiredStatus.RUNNING);
    }

    /** Skiff's tasks in the cluster that stopped recently (ECS shows a stopped task for about an hour). */
    public List<Task> stopped() {
        return tasks(DesiredStatus.STOPPED);
    }

    /** The tasks of a run's attempts 1 to {@code attempts} that have not stopped. */
    public List<Task> runningTasksOf(String runId, int attempts) {
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

    /** Asks ECS to stop a task; a reason longer than ECS takes is cut. */
    public void stop(String taskArn, String reason) {
        String bounded = reason.length() > 255 ? reason.substring(0, 255) : reason;
        ecs.stopTask(r -> r.cluster(options.cluster()).task(taskArn).reason(bounded));
    }

    /** What the stopped task cost by Skiff's estimate. */
    public Optional<BigDecimal> costOf(Task task, JobSpec job) {
        return TaskCosts.of(task, job.resources().cpu(), job.resources().memory(), options.prices());
    }

    /** "spot", "on-demand", or "unknown" for a task that names no capacity provider. */
    public static String ranOn(Task task) {
        return CapacityProvider.named(task.capacityProviderName()).map(CapacityProvider::ranOn).orElse("unknown");
    }

    /** Records the end of a task in the launcher's metrics, as the embedded mode's poller does. */
    public void ended(JobSpec job, Task task, StepOutcome outcome, Optional<BigDecimal> cost) {
        metrics.ended(job.name(), ranOn(task), outcome, cost.map(BigDecimal::doubleValue).orElse(0.0));
    }

    /** A removed job's task definitions go with it (running tasks keep theirs). */
    public void jobRemoved(String job) {
        spotFirst.deregisterAll(job);
    }

    private LaunchedTask start(TaskRequest request, int generation) {
        Instant began = options.clock().instant();
        StartedTask started = spotFirst.start(request, generation);
        LaunchedTask launched = launched(request, started.task(), started.provider());
        metrics.launched(request.job().name(), launched.ranOn(), Duration.between(began, options.clock().instant()));
        if (started.adopted()) {
            metrics.adopted(request.job().name());
        }
        return launched;
    }

    private LaunchedTask launched(TaskRequest request, Task task, CapacityProvider otherwise) {
        String ranOn = CapacityProvider.named(task.capacityProviderName()).orElse(otherwise).ranOn();
        Instant startedAt = task.createdAt() != null ? task.createdAt() : options.clock().instant();
        return new LaunchedTask(task.taskArn(), ranOn, startedAt,
                FargateTaskLauncher.logLocation(options, request.job().name(), task.taskArn()));
    }

    private List<Task> tasks(DesiredStatus status) {
        List<String> arns = new ArrayList<>();
        ecs.listTasksPaginator(r -> r.cluster(options.cluster()).desiredStatus(status)).taskArns().forEach(arns::add);
        return AttemptTasks.describe(ecs, options.cluster(), arns).stream()
                .filter(task -> task.startedBy() != null && task.startedBy().startsWith(RunTaskRequests.STARTED_BY_PREFIX))
                .toList();
    }
}
