package dev.skiff.orchestrator.aws;

import dev.skiff.jobs.Capacity;
import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.adapter.s3.S3TaskOutputs;
import dev.skiff.orchestrator.adapter.sfn.TaskAnswer;
import dev.skiff.orchestrator.adapter.sfn.TaskTokens;
import dev.skiff.orchestrator.domain.TaskEnvironment;
import dev.skiff.orchestrator.port.LaunchFailedException;
import dev.skiff.orchestrator.port.LaunchedTask;
import dev.skiff.orchestrator.port.TaskEnd;
import dev.skiff.orchestrator.port.TaskFleet;
import dev.skiff.orchestrator.port.TaskListener;
import dev.skiff.orchestrator.port.TaskRecord;
import dev.skiff.orchestrator.port.TaskRecords;
import dev.skiff.orchestrator.port.TaskReport;
import dev.skiff.orchestrator.port.TaskRequest;
import dev.skiff.orchestrator.port.TaskView;
import dev.skiff.workflows.SkiffErrors;
import dev.skiff.workflows.StepOutcome;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The Step Functions runtime's {@link TaskListener} for every task of the fleet: settles a step whose task ended by
 * answering its token with how the task ended, or, when Fargate Spot took the capacity back, launches the same
 * attempt again (on-demand unless the job is Spot-only) with the same token, so the interruption is no failure of the
 * step. The launcher brings every end here, whether the task-events queue or the reconciler's sweep told it; the
 * launcher reports each task once, and a token answered twice (by two replicas) is closed the second time.
 */
public final class StepCompletion implements TaskListener {

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
    private final TaskFleet fleet;
    private final TaskTokens tokens;
    private final TaskTokenSeal seal;
    private final TaskRecords records;
    private final StepInputs inputs;
    /** The stopped tasks this process has settled (answered, or relaunched after a Spot interruption), and how. */
    private final RecentTasks<Outcome> settled;

    /** Registers itself as the fleet's listener for every task: any replica may hear of any task's end. */
    public StepCompletion(Function<String, Optional<JobSpec>> jobs, TaskFleet fleet, TaskTokens tokens,
                          TaskTokenSeal seal, TaskRecords records) {
        this(jobs, fleet, tokens, seal, records, StepInputs.NONE);
    }

    /** @param inputs where a pipeline step's task wrote its output, and where a once-running step's output is kept */
    public StepCompletion(Function<String, Optional<JobSpec>> jobs, TaskFleet fleet, TaskTokens tokens,
                          TaskTokenSeal seal, TaskRecords records, StepInputs inputs) {
        this.inputs = inputs;
        this.jobs = jobs;
        this.fleet = fleet;
        this.tokens = tokens;
        this.seal = seal;
        this.records = records;
        this.settled = new RecentTasks<>(RecentTasks.DEFAULT_CAPACITY);
        fleet.listenToAll(this, jobs);
    }

    /** The step the task runs, its token opened; empty for a task that is not a step of Skiff's. */
    Optional<StepTask> stepOf(TaskView task) {
        return StepTask.of(task, seal);
    }

    /** True once this process has settled the task; the reconciler skips such tasks without a call. */
    boolean isSettled(String taskArn) {
        return settled.get(taskArn) != null;
    }

    /** Marks a stopped task as needing nothing more (the reconciler found its step no longer waiting). */
    void forget(String taskArn) {
        markSettled(taskArn, Outcome.IGNORED);
    }

    /** How this process settled the task; {@link Outcome#IGNORED} when it did not. */
    public Outcome outcomeOf(String taskArn) {
        Outcome outcome = settled.get(taskArn);
        return outcome == null ? Outcome.IGNORED : outcome;
    }

    /**
     * Settles the task's step. Throws only when AWS could not be reached; the launcher then reports the end again on
     * a later delivery or sweep.
     */
    @Override
    public void taskEnded(TaskEnd end) {
        String arn = end.report().taskArn();
        Optional<StepTask> found = StepTask.of(end, seal);
        if (found.isEmpty() || isSettled(arn)) {
            return;
        }
        StepTask step = found.get();
        Optional<JobSpec> job = jobs.apply(step.job());
        if (end.outcome() instanceof StepOutcome.SpotInterrupted interrupted && job.isPresent()) {
            markSettled(arn, relaunch(step, job.get(), interrupted, end.report()));
            return;
        }
        TaskAnswer answer = TaskAnswer.of(end.outcome(), end.report());
        if (end.outcome() instanceof StepOutcome.Succeeded) {
            answer = keepOutput(step, end.report()).orElse(answer);
        }
        if (answer instanceof TaskAnswer.Failure) {
            // The failure's cause names the task too, but it is kept where no emulator can drop it: written first,
            // so the answer never exists without it.
            records.keep(step.runId(), new TaskRecord(step.step(), step.item(), step.attempt(), TaskRecord.Kind.FAILED, end.report()));
        }
        TaskTokens.Delivery delivery = tokens.answer(step.taskToken(), answer);
        if (delivery != TaskTokens.Delivery.DELIVERED) {
            LOG.infof("run %s: attempt %d (task %s): the step had been settled already", step.runId(), step.attempt(), arn);
        }
        markSettled(arn, delivery == TaskTokens.Delivery.DELIVERED ? Outcome.ANSWERED : Outcome.ALREADY_CLOSED);
    }

    /**
     * Reads the output a succeeded pipeline step's task wrote to its {@code SKIFF_OUTPUT_URI}, and keeps a
     * once-running step's output for the steps after it (before the answer, so a later step never starts without
     * it). A forEach item's output is checked but not kept: no reference can name it.
     *
     * @return the failure to answer instead of success when the output is not what a step may write
     */
    private Optional<TaskAnswer> keepOutput(StepTask step, TaskReport report) {
        String uri = step.environment().get(TaskEnvironment.OUTPUT_URI);
        if (uri == null || inputs.taskOutputs().isEmpty()) {
            return Optional.empty();
        }
        Optional<String> output;
        try {
            output = inputs.taskOutputs().get().read(uri);
        } catch (S3TaskOutputs.BadOutputException e) {
            LOG.warnf("%s: %s", step.unitId(), e.getMessage());
            return Optional.of(TaskAnswer.failed(SkiffErrors.BAD_OUTPUT, e.getMessage(), report));
        }
        if (output.isPresent() && step.item() == TaskRequest.NO_ITEM) {
            inputs.outputs().keep(step.runId(), step.step(), output.get());
        }
        return Optional.empty();
    }

    private void markSettled(String taskArn, Outcome outcome) {
        settled.merge(taskArn, outcome, (a, b) -> b);
    }

    /**
     * Runs the attempt again after Spot took its task back. The interrupted task is billed for the time it ran, and
     * Step Functions never hears of it (the new task answers the same token), so it is recorded first: the run's
     * attempts list it and its cost counts in the run's.
     */
    private Outcome relaunch(StepTask step, JobSpec job, StepOutcome.SpotInterrupted interrupted, TaskReport report) {
        records.keep(step.runId(), new TaskRecord(step.step(), step.item(), step.attempt(), TaskRecord.Kind.INTERRUPTED, report));
        Capacity capacity = job.capacity() == Capacity.SPOT_ONLY ? Capacity.SPOT_ONLY : Capacity.ON_DEMAND;
        try {
            var container = job.step(step.step()).orElseThrow(() -> new LaunchFailedException(new StepOutcome.StartFailed(
                    "job " + job.name() + " has no step " + step.step() + " any more", false), "no step " + step.step(), null));
            TaskRequest request = new TaskRequest(step.runId(), job, step.step(), step.attempt(), container.commandLine(),
                    step.environment(), container.timeout(), capacity, step.item());
            LaunchedTask again = fleet.relaunch(request, step.taskArn());
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
            LOG.warnf("run %s: could not relaunch attempt %d after a Spot interruption: %s", step.runId(), step.attempt(),
                    e.getMessage());
            return delivery == TaskTokens.Delivery.DELIVERED ? Outcome.ANSWERED : Outcome.ALREADY_CLOSED;
        }
    }
}
