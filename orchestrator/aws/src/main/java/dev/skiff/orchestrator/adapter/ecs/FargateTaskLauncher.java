package dev.skiff.orchestrator.adapter.ecs;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.port.LaunchedTask;
import dev.skiff.orchestrator.port.TaskLauncher;
import dev.skiff.orchestrator.port.TaskListener;
import dev.skiff.orchestrator.port.TaskRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Runs attempts as ECS tasks on Fargate: Spot first, on-demand at once when Spot has no capacity (for
 * spot-first jobs), never two tasks for one launch. A single thread polls DescribeTasks for the tasks it
 * watches and reports each end once; {@link TaskOutcomes} turns a stopped task into the step's outcome.
 */
public final class FargateTaskLauncher implements TaskLauncher, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FargateTaskLauncher.class);

    private final FargateOptions options;
    private final FargateMetrics metrics;
    private final SpotFirst spotFirst;
    private final TaskWatcher watcher;
    private ScheduledExecutorService poller;

    FargateTaskLauncher(EcsClient ecs, FargateOptions options, FargateMetrics metrics) {
        this.options = options;
        this.metrics = metrics;
        this.spotFirst = new SpotFirst(new TaskDefinitionRegistry(ecs, options), new TaskStarter(ecs, options, metrics), metrics);
        this.watcher = new TaskWatcher(ecs, options, metrics);
    }

    /** A job with secrets whose owner has no execution role of its own cannot start: its secrets would not be readable. */
    @Override
    public List<String> problemsWith(JobSpec job) {
        return options.executionRoles().problems(job);
    }

    /** A launcher that polls on its own thread every {@link FargateOptions#pollInterval}; close it to stop. */
    public static FargateTaskLauncher start(EcsClient ecs, FargateOptions options, FargateMetrics metrics) {
        var launcher = new FargateTaskLauncher(ecs, options, metrics);
        launcher.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "skiff-fargate-poller");
            t.setDaemon(true);
            return t;
        });
        long every = options.pollInterval().toMillis();
        launcher.poller.scheduleWithFixedDelay(launcher::pollQuietly, every, every, TimeUnit.MILLISECONDS);
        return launcher;
    }

    @Override
    public LaunchedTask launch(TaskRequest request, TaskListener listener) {
        Instant began = options.clock().instant();
        StartedTask started = spotFirst.start(request, watcher.interruptionsOf(request.runId(), request.attempt()));
        Task task = started.task();
        CapacityProvider ranOn = CapacityProvider.named(task.capacityProviderName()).orElse(started.provider());
        watcher.watch(task.taskArn(), watch(request, listener));
        metrics.launched(request.job().name(), ranOn.ranOn(), Duration.between(began, options.clock().instant()));
        if (started.adopted()) {
            metrics.adopted(request.job().name());
        }
        Instant startedAt = task.createdAt() != null ? task.createdAt() : options.clock().instant();
        return new LaunchedTask(task.taskArn(), ranOn.ranOn(), startedAt, logLocation(options, request.job().name(), task.taskArn()));
    }

    @Override
    public void reattach(TaskRequest request, LaunchedTask task, TaskListener listener) {
        watcher.watch(task.taskId(), watch(request, listener));
    }

    @Override
    public void stop(LaunchedTask task, String reason) {
        watcher.stop(task.taskId(), reason);
    }

    private static TaskWatcher.Watch watch(TaskRequest request, TaskListener listener) {
        return new TaskWatcher.Watch(request.runId(), request.attempt(), request.job().name(),
                request.job().resources().cpu(), request.job().resources().memory(), listener);
    }

    /**
     * A job was removed from the catalog: deregisters all its task definition revisions (running tasks keep
     * theirs). ECS failing is logged, not thrown, and leaves the revisions behind.
     */
    public void jobRemoved(String job) {
        spotFirst.deregisterAll(job);
    }

    /** One polling round; the poller thread calls it, tests call it instead of waiting. */
    void poll() {
        watcher.tick();
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (Throwable t) { // the poller must outlive any one bad round
            LOG.errorf(t, "polling ECS tasks failed; trying again in %s", options.pollInterval());
        }
    }

    /** Where awslogs writes the job container's output: {@code <group>:<prefix>/<container>/<task id>}. */
    static String logLocation(FargateOptions options, String job, String taskArn) {
        String taskId = taskArn.substring(taskArn.lastIndexOf('/') + 1);
        return options.logGroup(job) + ":" + TaskDefinitionRenderer.STREAM_PREFIX + "/" + TaskOutcomes.CONTAINER + "/" + taskId;
    }
}
