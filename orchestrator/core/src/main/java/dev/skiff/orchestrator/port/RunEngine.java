package dev.skiff.orchestrator.port;

import dev.skiff.jobs.JobSpec;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Starts runs and keeps their record: the embedded engine in-process, Step Functions in AWS. */
public interface RunEngine {

    /**
     * Starts a run unless one with this id exists already.
     *
     * @param parameters resolved values (defaults applied, requirements met)
     */
    Started start(String runId, JobSpec job, String trigger, Map<String, String> parameters);

    Optional<Run> get(String runId);

    /**
     * Whether a run with this id exists, whatever its status. Cheaper than {@link #get}: no attempts are read (Step
     * Functions: one DescribeExecution, no GetExecutionHistory). The scheduler asks this on every fire.
     */
    boolean exists(String runId);

    /**
     * The ids of the job's runs that have not ended (waiting or running), newest first, at most {@code limit}.
     * Cheaper than {@link #list}: no run is read (Step Functions: one ListExecutions page of running executions of
     * at most {@code limit}, no describes). The scheduler asks this for each fire of a schedule that does not allow
     * overlapping runs.
     */
    List<String> activeRunIds(String job, int limit);

    /** Newest first. */
    List<Run> list(RunQuery query);

    /**
     * The newest {@code query.limit()} runs of any of {@code jobs} that match the query (whose {@code job} must be
     * empty), newest first, as one list: what the console shows a team. By default one list per job, holding no more
     * than {@code limit} runs at a time; an engine that can ask once for them all should.
     */
    default List<Run> listAmong(Collection<String> jobs, RunQuery query) {
        query.requireEveryJob();
        Comparator<Run> newestFirst = Comparator.comparing(Run::createdAt).reversed();
        List<Run> newest = new ArrayList<>();
        for (String job : jobs) {
            newest.addAll(list(new RunQuery(Optional.of(job), query.statuses(), query.trigger(), query.limit())));
            newest.sort(newestFirst);
            if (newest.size() > query.limit()) {
                newest.subList(query.limit(), newest.size()).clear();
            }
        }
        return newest;
    }

    /**
     * When the newest run of each of {@code jobs} started by {@code trigger} was created; jobs without such a run are
     * left out. The scheduler's catch-up after a start asks this for every scheduled job: an engine that can answer in
     * one query should (asking per job was 60,000 queries at 100,000 jobs).
     */
    default Map<String, Instant> newestRuns(Collection<String> jobs, String trigger) {
        Map<String, Instant> newest = new HashMap<>();
        for (String job : jobs) {
            list(new RunQuery(Optional.of(job), Set.of(), Optional.of(trigger), 1)).stream().findFirst()
                    .ifPresent(run -> newest.put(job, run.createdAt()));
        }
        return newest;
    }

    /**
     * Whether {@link #newestRuns} costs a query per job, as it does by default and in Step Functions (a ListExecutions
     * each): the catch-up then first narrows the jobs to those with a fire since the scheduler's mark, which costs a
     * cron computation per schedule and pays only when a query per job is dearer.
     */
    default boolean newestRunsQueryPerJob() {
        return true;
    }

    /**
     * Cancels a run: a waiting run ends at once, a running one once its task has stopped.
     *
     * @throws dev.skiff.orchestrator.domain.NotFoundException for an unknown run
     * @throws dev.skiff.orchestrator.domain.ConflictException for a run that already ended
     */
    Run cancel(String runId, String reason);

    /**
     * A pipeline run's units as the engine recorded them; empty for a one-step run, and for an engine that does not
     * tell (the run's own record then says what there is).
     */
    default Optional<PipelineRun> pipeline(String runId) {
        return Optional.empty();
    }

    /** The steps of a pipeline run, in the order of its spec, as far as they got; empty for a one-step run. */
    default List<PipelineRun.StepRun> steps(String runId) {
        return pipeline(runId).map(PipelineRun::steps).orElse(List.of());
    }

    /** @param created false when the run id existed and this start changed nothing */
    record Started(Run run, boolean created) {
    }

    /**
     * Filters for {@link #list}; empty means any.
     *
     * @param statuses any of these; empty means every status
     * @param trigger  "cron", "event" or "api"
     */
    record RunQuery(Optional<String> job, Set<RunStatus> statuses, Optional<String> trigger, int limit) {

        /** The statuses of a run that has not ended: waiting for a launch or a retry, or running. */
        public static final Set<RunStatus> ACTIVE = Set.of(RunStatus.PENDING, RunStatus.RUNNING, RunStatus.RETRY_WAIT);

        public RunQuery {
            statuses = Set.copyOf(statuses);
        }

        /** Checks that the query names no job, as a list among given jobs needs. */
        public void requireEveryJob() {
            if (job.isPresent()) {
                throw new IllegalArgumentException("a list among jobs names no job of its own, was " + job.get());
            }
        }

        public static RunQuery active(String job) {
            return new RunQuery(Optional.of(job), ACTIVE, Optional.empty(), 1000);
        }
    }
}
