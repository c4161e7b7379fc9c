package dev.skiff.orchestrator.adapter.ecs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.port.LaunchFailedException;
import dev.skiff.orchestrator.port.LaunchedTask;
import dev.skiff.orchestrator.port.TaskEnd;
import dev.skiff.orchestrator.port.TaskFleet;
import dev.skiff.orchestrator.port.TaskLauncher;
import dev.skiff.orchestrator.port.TaskListener;
import dev.skiff.orchestrator.port.TaskPricing;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.orchestrator.port.TaskView;
import dev.skiff.workflows.StepOutcome;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Runs attempts as ECS tasks on Fargate, for both runtimes: Spot first, on-demand at once when Spot has no capacity
 * (for spot-first jobs), never two tasks for one launch. A task's end reaches its listener through one path
 * ({@link #report}), once per task, whoever learnt of it: the poller (DescribeTasks over the tasks this process
 * watches, the embedded engine's way), or an ECS Task State Change event and the reconciler's sweep of stopped tasks
 * (the Step Functions runtime's way, through {@link TaskFleet}); a task this process does not watch goes to the
 * listener {@link #listenToAll} registered. {@link TaskOutcomes} turns a stopped task into the step's outcome.
 */
public final class FargateTaskLauncher implements TaskLauncher, TaskFleet, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FargateTaskLauncher.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EcsClient ecs;
    private final FargateOptions options;
    private final FargateMetrics metrics;
    private final SpotFirst spotFirst;
    private final AttemptTasks attemptTasks;
    private final ClusterTasks clusterTasks;
    private final TaskDocuments documents;
    private final TaskWatcher watcher;
    private final ReportedEnds reported = new ReportedEnds(ReportedEnds.DEFAULT_CAPACITY);
    private volatile TaskListener everyone;
    private volatile Function<String, Optional<JobSpec>> jobs = name -> Optional.empty();
    private ScheduledExecutorService poller;

    FargateTaskLauncher(EcsClient ecs, FargateOptions options, FargateMetrics metrics) {
        this.ecs = ecs;
        this.options = options;
        this.metrics = metrics;
        this.spotFirst = new SpotFirst(new TaskDefinitionRegistry(ecs, options), new TaskStarter(ecs, options, metrics), metrics);
        this.attemptTasks = new AttemptTasks(ecs, options);
        this.clusterTasks = new ClusterTasks(ecs, options);
        this.documents = new TaskDocuments(options.prices(), options.clock());
        this.watcher = new TaskWatcher(ecs, options, new TaskWatcher.Ends() {
            @Override
            public void stopped(Task task) {
                ended(view(task));
            }

            @Override
            public void vanished(String taskArn, StepOutcome.Lost outcome) {
                watcher.watchOf(taskArn).ifPresent(w -> report(documents.vanished(taskArn, w.attempt(), outcome)));
            }
        });
    }

    /** A job with secrets whose owner has no execution role of its own cannot start: its secrets would not be readable. */
    @Override
    public List<String> problemsWith(JobSpec job) {
        return options.executionRoles().problems(job);
    }

    /** The prices of the cluster's region, for each CPU architecture. */
    @Override
    public TaskPricing pricing() {
        return options.prices();
    }

    /** A launcher that polls its watched tasks on its own thread every {@link FargateOptions#pollInterval}; close it to stop. */
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
        int generation = watcher.interruptionsOf(request.runId(), request.attempt());
        return start(request, generation, task -> watcher.watch(task.taskArn(), watch(request, listener)));
    }

    @Override
    public void reattach(TaskRequest request, LaunchedTask task, TaskListener listener) {
        watcher.watch(task.taskId(), watch(request, listener));
    }

    @Override
    public void stop(LaunchedTask task, String reason) {
        watcher.stop(task.taskId(), reason);
    }

    @Override
    public void listenToAll(TaskListener listener, Function<String, Optional<JobSpec>> jobs) {
        this.jobs = jobs;
        this.everyone = listener;
    }

    @Override
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
        return start(request, 0, task -> { });
    }

    /** Each relaunch gets its own client token; the interrupted task itself never counts as its replacement. */
    @Override
    public LaunchedTask relaunch(TaskRequest request, String interruptedTaskId) {
        List<Task> tasks = attemptTasks.all(request);
        Optional<Task> replacement = AttemptTasks.replacementOf(tasks, interruptedTaskId);
        if (replacement.isPresent()) {
            return launched(request, replacement.get(), CapacityProvider.FARGATE);
        }
        return start(request, AttemptTasks.interrupted(tasks, interruptedTaskId), task -> { });
    }

    @Override
    public List<TaskView> running() {
        return clusterTasks.withDesiredStatus(DesiredStatus.RUNNING).stream().map(this::view).toList();
    }

    @Override
    public List<TaskView> stopped() {
        return clusterTasks.withDesiredStatus(DesiredStatus.STOPPED).stream().map(this::view).toList();
    }

    @Override
    public List<TaskView> runningTasksOf(String runId, int attempts) {
        return clusterTasks.runningTasksOf(runId, attempts).stream().map(this::view).toList();
    }

    /** Asks ECS to stop a task now; throws when ECS cannot be reached (the caller asks again later). */
    @Override
    public void stopTask(String taskId, String reason) {
        ecs.stopTask(r -> r.cluster(options.cluster()).task(taskId).reason(TaskWatcher.bounded(reason)));
    }

    /** An EventBridge event; empty unless it is an ECS Task State Change. */
    @Override
    public Optional<TaskView> changeOf(String eventBody) {
        try {
            return TaskStateChanges.of(JSON.readTree(eventBody)).map(change -> view(change.task()));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public boolean ended(TaskView task) {
        return task.end().map(this::report).orElse(false);
    }

    /** The task document in the ports' terms, its end read by the watch's attempt when this process watches it. */
    public TaskView view(Task task) {
        return documents.view(task, watcher.watchOf(task.taskArn()).map(TaskWatcher.Watch::attempt), jobs);
    }

    /** The environment the launch gave the task's job container. */
    public static Map<String, String> environmentOf(Task task) {
        return TaskDocuments.environmentOf(task);
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

    /**
     * The one end path: a task's end goes to the listener watching it here, else to the one for every task, once;
     * then the "attempt ended" line and the end's metrics. A listener that throws did not take the end, which is
     * reported again when the task is next heard of.
     */
    private boolean report(TaskEnd end) {
        String arn = end.report().taskArn();
        if (!reported.claim(arn)) {
            return false;
        }
        TaskWatcher.Watch watch = watcher.release(arn, end.outcome());
        TaskListener listener = watch != null ? watch.listener() : everyone;
        if (listener == null) { // not watched here, and no runtime listens for every task
            reported.release(arn);
            return false;
        }
        try {
            listener.taskEnded(end);
        } catch (RuntimeException e) {
            reported.release(arn);
            throw e;
        }
        reported.reported(arn);
        LOG.infof("run %s: attempt %d ended on %s (task %s): %s, estimated cost %s USD", end.runId(), end.attempt(),
                end.report().capacity(), arn, end.outcome(), end.costUsd().map(BigDecimal::toPlainString).orElse("unknown"));
        metrics.ended(end.job(), end.report().capacity(), end.outcome(), end.costUsd().map(BigDecimal::doubleValue).orElse(0.0));
        return true;
    }

    /**
     * Starts a task for the attempt and counts the launch.
     *
     * @param generation how many of this attempt's tasks Spot interrupted already
     * @param beforeCount what to do with the new task before anything else (watch it)
     * @throws LaunchFailedException when no task was started
     */
    private LaunchedTask start(TaskRequest request, int generation, Consumer<Task> beforeCount) {
        Instant began = options.clock().instant();
        StartedTask started = spotFirst.start(request, generation);
        beforeCount.accept(started.task());
        LaunchedTask launched = launched(request, started.task(), started.provider());
        metrics.launched(request.job().name(), launched.ranOn(), Duration.between(began, options.clock().instant()));
        if (started.adopted()) {
            metrics.adopted(request.job().name());
        }
        return launched;
    }

    /** The only place a task becomes a {@link LaunchedTask}: where it runs, when it was created, where it logs. */
    private LaunchedTask launched(TaskRequest request, Task task, CapacityProvider otherwise) {
        String ranOn = CapacityProvider.named(task.capacityProviderName()).orElse(otherwise).ranOn();
        Instant startedAt = task.createdAt() != null ? task.createdAt() : options.clock().instant();
        return new LaunchedTask(task.taskArn(), ranOn, startedAt, logLocation(options, request.job().name(), task.taskArn()));
    }

    private static TaskWatcher.Watch watch(TaskRequest request, TaskListener listener) {
        return new TaskWatcher.Watch(new TaskDocuments.Attempt(request.runId(), request.job().name(), request.step(),
                request.attempt(), request.container().resources()), listener);
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
        return logLocation(options.logGroupPrefix(), job, taskArn);
    }

    /**
     * The same from the group prefix alone: every step of a job logs to the job's group from a container named
     * {@link TaskOutcomes#CONTAINER}, so the task's ARN (or id) finds its stream even where no location was recorded.
     */
    public static String logLocation(String logGroupPrefix, String job, String taskArn) {
        String taskId = taskArn.substring(taskArn.lastIndexOf('/') + 1);
        return logGroupPrefix + "/" + job + ":" + TaskDefinitionRenderer.STREAM_PREFIX + "/" + TaskOutcomes.CONTAINER + "/" + taskId;
    }
}
