package dev.skiff.orchestrator.adapter.embedded;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.port.RunEngine.RunQuery;
import dev.skiff.orchestrator.port.StepOutputs;
import dev.skiff.workflows.Run;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Durable storage of runs for the embedded engine. Every write is on disk when the call returns. */
public interface RunStore extends AutoCloseable {

    /**
     * Stores a new run with the spec it runs by, so that a restart resumes it with the same rules
     * even if the job's file changed or went away meanwhile.
     *
     * @return false when a run with this id exists already (nothing is written then)
     */
    boolean insertIfAbsent(Run run, JobSpec spec);

    void update(Run run);

    Optional<Run> find(String runId);

    /** Whether a run with this id is stored; reads no run. */
    boolean exists(String runId);

    /** The ids of the job's runs in an active status ({@link RunQuery#ACTIVE}), newest first; reads no run. */
    List<String> activeRunIds(String job, int limit);

    /** Newest first. */
    List<Run> list(RunQuery query);

    /** As {@link dev.skiff.orchestrator.port.RunEngine#listAmong}: one query. */
    List<Run> listAmong(Collection<String> jobs, RunQuery query);

    /** As {@link dev.skiff.orchestrator.port.RunEngine#newestRuns}. */
    Map<String, Instant> newestRuns(Collection<String> jobs, String trigger);

    /** Runs not yet in a terminal status, oldest first, with their specs: what a restart must resume. */
    List<StoredRun> unfinished();

    /** A run together with the spec it was started with. */
    record StoredRun(Run run, JobSpec spec) {
    }

    /** The spec a run was started with. */
    Optional<JobSpec> spec(String runId);

    /**
     * One unit of a pipeline run (a step, or one item of a forEach step), kept as a run of its own: its
     * {@code run.runId()} is the unit's key ({@link UnitKeys}), its attempts follow the step's own policy.
     *
     * @param environment what the unit's task gets besides the step's own variables: its resolved parameters, its
     *                    item; fixed when the unit is created, so a restart launches it with the same values
     */
    record StoredUnit(String runId, String step, int item, Run run, Map<String, String> environment) {
        public StoredUnit {
            environment = Map.copyOf(environment);
        }
    }

    /** Stores a new unit; false when its key is stored already (nothing is written then). */
    boolean insertUnit(StoredUnit unit);

    /** Writes a unit's new state; {@code unit.runId()} is its key. */
    void updateUnit(Run unit);

    Optional<StoredUnit> findUnit(String key);

    /** The run's units, in the order they were created. */
    List<StoredUnit> units(String runId);

    /** Units not yet in a terminal status, oldest first: what a restart must watch again. */
    List<StoredUnit> unfinishedUnits();

    /** The outputs of pipeline steps, kept with the runs. */
    StepOutputs outputs();

    /** Keeps the items a forEach step resolved (a JSON array), before any of its items starts; once per step. */
    void keepItems(String runId, String step, String itemsJson);

    /** The resolved items of the run's forEach steps, by step name. */
    Map<String, String> items(String runId);

    @Override
    void close();
}
