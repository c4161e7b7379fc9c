package dev.skiff.orchestrator.adapter.embedded;

import dev.skiff.jobs.JobSpec;
import dev.skiff.orchestrator.port.RunEngine.RunQuery;
import dev.skiff.workflows.Run;
import java.util.List;
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

    /** Runs not yet in a terminal status, oldest first, with their specs: what a restart must resume. */
    List<StoredRun> unfinished();

    /** A run together with the spec it was started with. */
    record StoredRun(Run run, JobSpec spec) {
    }

    @Override
    void close();
}
