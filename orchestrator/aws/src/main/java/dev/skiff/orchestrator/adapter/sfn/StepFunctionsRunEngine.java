package dev.skiff.orchestrator.adapter.sfn;

import dev.skiff.jobs.Capacity;
import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.adapter.AwsFailures;
import dev.skiff.orchestrator.domain.ConflictException;
import dev.skiff.orchestrator.domain.NotFoundException;
import dev.skiff.orchestrator.domain.UpstreamFailedException;
import dev.skiff.orchestrator.port.PipelineRun;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.TaskRecord;
import dev.skiff.orchestrator.port.TaskRecords;
import dev.skiff.workflows.Attempt;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunIds;
import dev.skiff.workflows.RunStatus;
import dev.skiff.workflows.SkiffErrors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

/**
 * Runs as Step Functions executions: one per run, named by the run id, on the job's state machine. Step
 * Functions is the record; this class keeps nothing, so replicas and restarts lose nothing.
 *
 * <p>{@link #get} reads the attempts from the execution's history (GetExecutionHistory, one call per 1,000
 * events) and the run's {@link TaskRecords} (the Spot-interrupted tasks and the tasks of failed attempts, which the
 * history cannot show by itself). Listed runs carry no attempts, parameters, error or cause (ListExecutions has none, and a history
 * call per listed run would make a list of 100 runs cost 100 calls); {@link #get} has them. A listed failed run
 * shows FAILED, TIMED_OUT or CANCELLED as {@link #get} does ({@link ExecutionListing}).
 */
public final class StepFunctionsRunEngine implements RunEngine {

    private static final Logger LOG = Logger.getLogger(StepFunctionsRunEngine.class);
    /** Step Functions' limit for a StopExecution cause. */
    private static final int MAX_CAUSE = 32_768;
    /** A start date this much before the call is an earlier start's (clocks of the caller and AWS agree this well). */
    static final Duration SAME_START = Duration.ofSeconds(1);
    /** ListExecutions' largest maxResults. */
    private static final int MAX_PAGE = 1000;

    private final SfnClient sfn;
    private final StateMachines machines;
    private final CancelledExecutions cancelled;
    private final Function<String, Optional<JobSpec>> jobs;
    private final TaskRecords records;
    private final ExecutionListing listing;
    private final Clock clock;

    /**
     * @param jobs  the current spec of a job by name (for the capacity its attempts asked for)
     * @param clock when a start was asked, which tells a repeated start from a new one ({@link #SAME_START})
     */
    public StepFunctionsRunEngine(SfnClient sfn, StateMachines machines, CancelledExecutions cancelled,
                                  Function<String, Optional<JobSpec>> jobs, TaskRecords records, Clock clock) {
        this(sfn, machines, cancelled, jobs, records, clock, ExecutionListing.Bounds.DEFAULT);
    }

    /** @param listing what one list may cost */
    StepFunctionsRunEngine(SfnClient sfn, StateMachines machines, CancelledExecutions cancelled,
                           Function<String, Optional<JobSpec>> jobs, TaskRecords records, Clock clock,
                           ExecutionListing.Bounds listing) {
        this.sfn = sfn;
        this.machines = machines;
        this.cancelled = cancelled;
        this.jobs = jobs;
        this.records = records;
        this.clock = clock;
        this.listing = new ExecutionListing(sfn, listing);
    }

    /**
     * Starts the execution named by the run id: one call when the run is new, since StartExecution is the call
     * AWS lets through fastest (DescribeExecution's quota is far smaller). An execution of that name already there
     * (running, or ended in the last 90 days) is this run: nothing starts. Step Functions answers a repeat of a
     * running execution's name and input with success and the original's start date, which tells the repeat
     * apart; two replicas starting the same id within {@link #SAME_START} may both answer {@code created}, while
     * one execution runs. Before it, the job's state machine is made to hold the spec's current definition
     * ({@link StateMachines#ensure}: no call when this replica knows it does); a machine that cannot be made
     * refuses the run with an {@link UpstreamFailedException} naming it, as a failed StartExecution does.
     */
    @Override
    public Started start(String runId, JobSpec job, String trigger, Map<String, String> parameters) {
        String machine = machines.ensure(job);
        Instant asked = clock.instant();
        StartExecutionResponse started;
        try {
            started = sfn.startExecution(r -> r.stateMachineArn(machine).name(runId).input(ExecutionRuns.input(parameters)));
        } catch (ExecutionAlreadyExistsException e) {
            return new Started(describe(job.name(), machine, runId).orElseThrow(() -> e), false);
        } catch (SdkException e) {
            throw new UpstreamFailedException("job " + job.name() + ": run " + runId
                    + " was not started, Step Functions failed StartExecution: " + e.getMessage(), AwsFailures.passing(e), e);
        }
        if (started.startDate() != null && started.startDate().isBefore(asked.minus(SAME_START))) {
            return new Started(describe(job.name(), machine, runId).orElseThrow(), false);
        }
        Instant at = started.startDate() != null ? started.startDate() : asked;
        return new Started(new Run(runId, job.name(), trigger, Map.copyOf(parameters), RunStatus.RUNNING,
                at, Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty()), true);
    }

    @Override
    public Optional<Run> get(String runId) {
        return jobOf(runId).flatMap(job -> machines.arnOf(job)
                .flatMap(machine -> describe(job, machine, runId).map(run -> withAttempts(run, machine))));
    }

    /**
     * The units of a pipeline run, read as {@link #get} reads its attempts (one more history read). The units follow
     * the job's current spec, as the run's attempts follow its current capacity: Step Functions keeps no spec per
     * execution, and the state machine a changed spec registers takes only runs started after it.
     */
    @Override
    public Optional<PipelineRun> pipeline(String runId) {
        return jobOf(runId).flatMap(jobs).filter(JobSpec::isPipeline).flatMap(job -> machines.arnOf(job.name())
                .flatMap(machine -> describe(job.name(), machine, runId).map(run -> ExecutionHistory
                        .read(sfn, ExecutionRuns.executionArn(machine, runId))
                        .pipeline(job, recordsOf(runId), !run.status().isTerminal()))));
    }

    /** One DescribeExecution: the history, which only {@link #get} needs, is not read. */
    @Override
    public boolean exists(String runId) {
        return jobOf(runId).flatMap(job -> machines.arnOf(job).flatMap(machine -> describe(job, machine, runId))).isPresent();
    }

    /** The job a run id names, if it is a run id at all. */
    private static Optional<String> jobOf(String runId) {
        if (!RunIds.isValid(runId)) {
            return Optional.empty();
        }
        try {
            return Optional.of(RunIds.jobOf(runId));
        } catch (IllegalArgumentException notOurs) {
            return Optional.empty();
        }
    }

    private Run withAttempts(Run run, String machine) {
        Capacity capacity = jobs.apply(run.job()).map(JobSpec::capacity).orElse(Capacity.SPOT_FIRST);
        List<Attempt> attempts = ExecutionHistory.read(sfn, ExecutionRuns.executionArn(machine, run.runId()))
                .attempts(capacity, recordsOf(run.runId()));
        return new Run(run.runId(), run.job(), run.trigger(), run.parameters(), run.status(), run.createdAt(),
                run.endedAt(), attempts, run.nextLaunch(), run.error(), run.cause());
    }

    /** A store that cannot be read costs the run its extra entries, not its answer. */
    private List<TaskRecord> recordsOf(String runId) {
        try {
            return records.of(runId);
        } catch (RuntimeException e) {
            LOG.warnf("run %s: its task records could not be read (%s); its attempts show what the history holds",
                    runId, e.getMessage());
            return List.of();
        }
    }

    @Override
    public List<Run> list(RunQuery query) {
        Map<String, String> machinesByJob = query.job()
                .map(job -> machines.listedArnOf(job).map(arn -> Map.of(job, arn)).orElse(Map.of()))
                .orElseGet(machines::all);
        return listing.list(machinesByJob, query);
    }

    /** One list over the jobs' machines (listed once), holding the newest {@code limit} runs found so far. */
    @Override
    public List<Run> listAmong(Collection<String> jobs, RunQuery query) {
        query.requireEveryJob();
        Map<String, String> all = machines.all();
        Map<String, String> machinesByJob = new HashMap<>();
        for (String job : jobs) {
            String machine = all.get(job);
            if (machine != null) {
                machinesByJob.put(job, machine);
            }
        }
        return listing.list(machinesByJob, query);
    }

    /**
     * The scheduler's catch-up question, for every scheduled job at once: the machines listed once (1,000 a call),
     * then one ListExecutions for each job that has a machine; a job with none has no run. Asked job by job, a job
     * with no machine was described once the machine listing was {@link StateMachines#LISTING_FRESH} old: 60,000
     * DescribeStateMachine calls (173 s on moto) when the catch-up waited for the registry's listing after a start
     * from its snapshot.
     */
    @Override
    public Map<String, Instant> newestRuns(Collection<String> jobs, String trigger) {
        Map<String, String> machinesByJob = machines.all();
        Map<String, Instant> newest = new HashMap<>();
        for (String job : jobs) {
            String machine = machinesByJob.get(job);
            if (machine != null) {
                listing.list(Map.of(job, machine), new RunQuery(Optional.of(job), Set.of(), Optional.of(trigger), 1))
                        .stream().findFirst().ifPresent(run -> newest.put(job, run.createdAt()));
            }
        }
        return newest;
    }

    /**
     * One ListExecutions page of the job's RUNNING executions (a run waiting for a launch or a retry is a running
     * execution): their names are the run ids. At most 1,000, the most one page holds.
     */
    @Override
    public List<String> activeRunIds(String job, int limit) {
        return machines.listedArnOf(job).map(machine -> sfn.listExecutions(r -> r.stateMachineArn(machine)
                        .statusFilter(ExecutionStatus.RUNNING).maxResults(Math.min(Math.max(limit, 1), MAX_PAGE)))
                .executions().stream()
                .sorted(Comparator.comparing(ExecutionListItem::startDate).reversed()) // AWS gives newest first; not every emulator does
                .map(ExecutionListItem::name).limit(limit).toList())
                .orElse(List.of());
    }

    /**
     * Stops the execution with the error {@value SkiffErrors#CANCELLED}, then hands the run to
     * {@link CancelledExecutions} to stop its task.
     */
    @Override
    public Run cancel(String runId, String reason) {
        Run run = get(runId).orElseThrow(() -> NotFoundException.run(runId));
        if (run.status().isTerminal()) {
            throw new ConflictException("run " + runId + " already ended " + run.status());
        }
        String machine = machines.arnOf(run.job()).orElseThrow(() -> NotFoundException.run(runId));
        String cause = reason.length() > MAX_CAUSE ? reason.substring(0, MAX_CAUSE) : reason;
        sfn.stopExecution(r -> r.executionArn(ExecutionRuns.executionArn(machine, runId))
                .error(SkiffErrors.CANCELLED).cause(cause));
        cancelled.stopped(runId, reason);
        return get(runId).orElse(run);
    }

    private Optional<Run> describe(String job, String machine, String runId) {
        try {
            return Optional.of(ExecutionRuns.of(job,
                    sfn.describeExecution(r -> r.executionArn(ExecutionRuns.executionArn(machine, runId)))));
        } catch (ExecutionDoesNotExistException e) {
            return Optional.empty();
        }
    }

}
