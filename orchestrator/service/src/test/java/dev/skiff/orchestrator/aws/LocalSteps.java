package dev.skiff.orchestrator.aws;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.adapter.local.ProcessLauncherOptions;
import dev.skiff.orchestrator.adapter.local.ProcessTaskLauncher;
import dev.skiff.orchestrator.adapter.sfn.CancelledExecutions;
import dev.skiff.orchestrator.adapter.sfn.MotoAnswers;
import dev.skiff.orchestrator.adapter.sfn.MotoCauses;
import dev.skiff.orchestrator.adapter.sfn.MotoStepFunctions;
import dev.skiff.orchestrator.adapter.sfn.TaskAnswer;
import dev.skiff.orchestrator.port.LaunchFailedException;
import dev.skiff.orchestrator.port.LaunchedTask;
import dev.skiff.orchestrator.port.TaskRecord;
import dev.skiff.orchestrator.port.TaskRecords;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.orchestrator.port.TaskReport;
import dev.skiff.workflows.DispatchRequest;
import dev.skiff.workflows.StepOutcome;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Plays ECS for Step Functions on moto, with real local processes: it reads each launch request the state machines
 * send to the dispatch queue, runs the step's command as a local process (the embedded runtime's launcher, given the
 * task request {@link StepLauncher} gives Fargate), and answers the step's token when the process ends, as
 * {@link StepCompletion} answers for a stopped task (a failed attempt's task record first). It stops a process that
 * runs past its job's timeout, as {@link StepReconciler} does, and the process of a cancelled run, as
 * {@link StepCancellation} does.
 *
 * <p>Moto's quirks, handled here rather than in the cases:
 * <ul>
 *   <li>moto keeps an execution RUNNING after StopExecution while its step waits for a token (AWS aborts it): the
 *       cancelled run's task is stopped and its step answered {@code Skiff.Cancelled}, which ends the execution on
 *       moto (on AWS the answer finds the token closed); a launch request of a cancelled run is answered so at once;</li>
 *   <li>moto drops SendTaskFailure's cause: the cause sent is told to {@link MotoCauses}, and the failed attempt's
 *       task is kept as a task record before the answer, as Skiff does on AWS;</li>
 *   <li>moto reuses a state's token for its retries: attempts are told apart by the request's attempt, never by
 *       token;</li>
 *   <li>moto misses an answer that comes before it waits for it: {@link MotoAnswers} answers again.</li>
 * </ul>
 */
final class LocalSteps implements CancelledExecutions, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LocalSteps.class);

    private final SqsClient sqs;
    private final String dispatchQueue;
    private final MotoAnswers answers;
    private final TaskRecords records;
    private final MotoCauses causes;
    private final TaskTokenSeal seal = TaskTokenSeal.of(List.of(MotoStepFunctions.TOKEN_KEY), "skiff.sfn.token-keys");
    private final ProcessTaskLauncher launcher;
    private final Map<String, JobSpec> jobs = new ConcurrentHashMap<>();
    /** The step running now, by run: a run runs one attempt at a time. */
    private final Map<String, Step> running = new ConcurrentHashMap<>();
    /** Cancelled runs and why. */
    private final Map<String, String> cancelled = new ConcurrentHashMap<>();
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor();
    private final Thread reader;
    private volatile boolean open = true;

    /** One launched attempt, and why this stand-in stopped it, if it did. */
    private record Step(DispatchRequest request, CompletableFuture<LaunchedTask> task, AtomicReference<StepOutcome> stoppedFor) {
    }

    LocalSteps(SqsClient sqs, String dispatchQueue, MotoAnswers answers, TaskRecords records, MotoCauses causes, Path data) {
        this.sqs = sqs;
        this.dispatchQueue = dispatchQueue;
        this.answers = answers;
        this.records = records;
        this.causes = causes;
        this.launcher = new ProcessTaskLauncher(ProcessLauncherOptions.under(data).withStopGracePeriod(Duration.ofSeconds(2)));
        this.reader = new Thread(this::readLaunchRequests, "local-steps");
        reader.start();
    }

    /** Holds the job as the registry would, so its launch requests can be run. */
    void register(JobSpec job) {
        jobs.put(job.name(), job);
    }

    Optional<JobSpec> job(String name) {
        return Optional.ofNullable(jobs.get(name));
    }

    private void readLaunchRequests() {
        while (open) {
            try {
                for (Message m : sqs.receiveMessage(r -> r.queueUrl(dispatchQueue).waitTimeSeconds(1).maxNumberOfMessages(10))
                        .messages()) {
                    launch(DispatchRequest.parse(m.body()));
                    sqs.deleteMessage(r -> r.queueUrl(dispatchQueue).receiptHandle(m.receiptHandle()));
                }
            } catch (RuntimeException e) {
                if (open) {
                    LOG.warnf(e, "local steps: a launch request failed; reading on");
                }
            }
        }
    }

    private void launch(DispatchRequest request) {
        JobSpec job = jobs.get(request.job());
        if (job == null) {
            answer(request, StepLauncher.NO_TASK, Instant.now(), new StepOutcome.StartFailed("job " + request.job()
                    + " is not registered", false), Instant.now());
            return;
        }
        Step step = new Step(request, new CompletableFuture<>(), new AtomicReference<>());
        synchronized (this) {
            String reason = cancelled.get(request.runId());
            if (reason != null) { // moto still runs the execution that AWS would have aborted
                answer(request, StepLauncher.NO_TASK, Instant.now(), new StepOutcome.Cancelled(reason), Instant.now());
                return;
            }
            running.put(request.runId(), step);
        }
        try {
            step.task().complete(launcher.launch(StepLauncher.taskRequest(request, job, seal),
                    end -> ended(step, end.outcome(), end.endedAt())));
        } catch (LaunchFailedException e) {
            running.remove(request.runId(), step);
            step.task().completeExceptionally(e);
            answer(request, StepLauncher.NO_TASK, Instant.now(), e.outcome(), Instant.now());
            return;
        }
        deadlines.schedule(() -> stop(step, new StepOutcome.TimedOut(), "ran past its timeout of " + job.timeout()),
                job.timeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stopped(String runId, String reason) {
        Step step;
        synchronized (this) {
            cancelled.put(runId, reason);
            step = running.get(runId);
        }
        if (step != null) {
            stop(step, new StepOutcome.Cancelled(reason), "cancelled: " + reason);
        }
    }

    private void stop(Step step, StepOutcome why, String reason) {
        if (running.get(step.request().runId()) == step && step.stoppedFor().compareAndSet(null, why)) {
            launcher.stop(step.task().join(), reason);
        }
    }

    /** A process this stand-in stopped ends with whatever the kill produced; what counts is why it was stopped. */
    private void ended(Step step, StepOutcome outcome, Instant endedAt) {
        running.remove(step.request().runId(), step);
        StepOutcome observed = outcome instanceof StepOutcome.Succeeded || step.stoppedFor().get() == null
                ? outcome : step.stoppedFor().get();
        LaunchedTask task = step.task().join();
        answer(step.request(), task.taskId(), task.startedAt(), observed, endedAt);
    }

    private void answer(DispatchRequest request, String taskId, Instant startedAt, StepOutcome outcome, Instant endedAt) {
        TaskReport report = new TaskReport(taskId, "local", Optional.of(startedAt), Optional.of(endedAt), Optional.empty());
        if (TaskAnswer.of(outcome, report) instanceof TaskAnswer.Failure failure) {
            records.keep(request.runId(), new TaskRecord(request.step(), request.itemIndex().orElse(TaskRequest.NO_ITEM), request.attempt(),
                    TaskRecord.Kind.FAILED, report));
            causes.sent(request.runId(), failure.cause());
        }
        try {
            answers.answer(request.job(), request.runId(), request.attempt(), request.taskToken(), outcome, report);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops reading, and stops every process still running. */
    @Override
    public void close() throws InterruptedException {
        open = false;
        reader.join();
        deadlines.shutdownNow();
        running.values().forEach(step -> launcher.stop(step.task().join(), "the test ended"));
        launcher.close();
    }
}
