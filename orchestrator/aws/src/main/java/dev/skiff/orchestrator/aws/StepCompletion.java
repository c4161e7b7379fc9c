package dev.skiff.orchestrator.aws;

import dev.skiff.jobs.Capacity;
import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.adapter.ecs.FargateTasks;
import dev.skiff.orchestrator.adapter.ecs.TaskOutcomes;
import dev.skiff.orchestrator.adapter.sfn.TaskTokens;
import dev.skiff.orchestrator.port.LaunchFailedException;
import dev.skiff.orchestrator.port.LaunchedTask;
import dev.skiff.orchestrator.port.TaskRecord;
import dev.skiff.orchestrator.port.TaskRecords;
import dev.skiff.orchestrator.port.TaskReport;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.workflows.StepOutcome;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Settles a step whose task stopped: answers its token with how the task ended, or, when Fargate Spot took the
 * capacity back, launches the same attempt again (on-demand unless the job is Spot-only) with the same token,
 * so the interruption is no failure of the step. The task-events consumer and the reconciler both come here;
 * whichever is first settles the task, and the other finds it settled.
 */
public final class StepCompletion {

    private static final Logger LOG = Logger.getLogger(StepCompletion.class);

    /** What became of a stopped task. */
    public enum Outcome {
        /** Its token was answered now. */
        ANSWERED,
        /** Spot interrupted it; the attempt runs again in a new task. */
        RELAUNCHED,
        /** The token was closed already (answered before, the step timed out, the run was stopped). */
        ALREADY_CLOSED,
        /** Settled before by this process, or not a step's task: nothing was called. */
        IGNORED
    }

    private final Function<String, Optional<JobSpec>> jobs;
    private final FargateTasks fargate;
    private final TaskTokens tokens;
    private final TaskTokenSeal seal;
    private final TaskRecords records;
    /** The stopped tasks this process has settled (answered, or relaunched after a Spot interruption). */
    private final RecentTasks<Boolean> settled;

    public StepCompletion(Function<String, Optional<JobSpec>> jobs, FargateTasks fargate, TaskTokens tokens,
                          TaskTokenSeal seal, TaskRecords records) {
        this.jobs = jobs;
        this.fargate = fargate;
        this.tokens = tokens;
        this.seal = seal;
        this.records = records;
        this.settled = new RecentTasks<>(RecentTasks.DEFAULT_CAPACITY);
    }

    /** The step the task runs, its token opened; empty for a task that is not a step of Skiff's. */
    Optional<StepTask> stepOf(Task task) {
        return StepTask.of(task, seal);
    }

    /** True once this process has settled the task; the reconciler skips such tasks without a call. */
    boolean isSettled(String taskArn) {
        return settled.get(taskArn) != null;
    }

    /** Marks a stopped task as needing nothing more (the reconciler found its step no longer waiting). */
    void forget(String taskArn) {
        markSettled(taskArn);
    }

    private void markSettled(String taskArn) {
        settled.merge(taskArn, Boolean.TRUE, (a, b) -> b);
    }

    /**
     * Settles the task if it has stopped. Throws only when AWS could not be reached, and the task is then
     * settled by a later delivery or sweep.
     */
    public Outcome stopped(Task task) {
        Optional<StepTask> found = stepOf(task);
        Optional<StepOutcome> outcome = TaskOutcomes.of(task);
        if (found.isEmpty() || outcome.isEmpty() || isSettled(task.taskArn())) {
            return Outcome.IGNORED;
        }
        StepTask step = found.get();
        Optional<JobSpec> job = jobs.apply(step.job());
        Optional<BigDecimal> cost = job.flatMap(j -> fargate.costOf(task, j));
        job.ifPresent(j -> fargate.ended(j, task, outcome.get(), cost));
        TaskReport report = new TaskReport(task.taskArn(), FargateTasks.ranOn(task), Optional.ofNullable(task.startedAt()),
                Optional.ofNullable(task.stoppedAt()), cost);
        if (outcome.get() instanceof StepOutcome.SpotInterrupted interrupted && job.isPresent()) {
            return relaunch(step, job.get(), interrupted, report);
        }
        if (!(outcome.get() instanceof StepOutcome.Succeeded)) {
            // The failure's cause names the task too, but it is kept where no emulator can drop it: written first,
            // so the answer never exists without it.
            records.keep(step.runId(), new TaskRecord(step.step(), step.attempt(), TaskRecord.Kind.FAILED, report));
        }
        TaskTokens.Delivery delivery = tokens.answer(step.taskToken(), outcome.get(), report);
        markSettled(task.taskArn());
        LOG.infof("run %s: attempt %d ended on %s (task %s): %s, estimated cost %s USD%s", step.runId(), step.attempt(),
                report.capacity(), task.taskArn(), outcome.get(), cost.map(BigDecimal::toPlainString).orElse("unknown"),
                delivery == TaskTokens.Delivery.DELIVERED ? "" : "; the step had been settled already");
        return delivery == TaskTokens.Delivery.DELIVERED ? Outcome.ANSWERED : Outcome.ALREADY_CLOSED;
    }

    /**
     * Runs the attempt again after Spot took its task back. The interrupted task is billed for the time it ran, and
     * Step Functions never hears of it (the new task answers the same token), so it is recorded first: the run's
     * attempts list it and its cost counts in the run's.
     */
    private Outcome relaunch(StepTask step, JobSpec job, StepOutcome.SpotInterrupted interrupted, TaskReport report) {
        records.keep(step.runId(), new TaskRecord(step.step(), step.attempt(), TaskRecord.Kind.INTERRUPTED, report));
        Capacity capacity = job.capacity() == Capacity.SPOT_ONLY ? Capacity.SPOT_ONLY : Capacity.ON_DEMAND;
        TaskRequest request = new TaskRequest(step.runId(), job, step.step(), step.attempt(), job.commandLine(),
                step.environment(), job.timeout(), capacity);
        try {
            LaunchedTask again = fargate.relaunch(request, step.taskArn());
            markSettled(step.taskArn());
            LOG.infof("run %s: Fargate Spot interrupted task %s (%s, estimated cost %s USD); attempt %d runs again as %s"
                            + " on %s", step.runId(), step.taskArn(), interrupted.reason(),
                    report.costUsd().map(BigDecimal::toPlainString).orElse("unknown"), step.attempt(), again.taskId(),
                    again.ranOn());
            return Outcome.RELAUNCHED;
        } catch (LaunchFailedException e) {
            // No task ran the attempt after the interrupted one, which its record already lists.
            TaskReport none = new TaskReport(StepLauncher.NO_TASK, StepLauncher.NO_TASK, Optional.empty(),
                    Optional.empty(), Optional.empty());
            TaskTokens.Delivery delivery = tokens.answer(step.taskToken(), e.outcome(), none);
            markSettled(step.taskArn());
            LOG.warnf("run %s: could not relaunch attempt %d after a Spot interruption: %s", step.runId(), step.attempt(),
                    e.getMessage());
            return delivery == TaskTokens.Delivery.DELIVERED ? Outcome.ANSWERED : Outcome.ALREADY_CLOSED;
        }
    }
}
