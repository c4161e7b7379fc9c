package dev.skiff.orchestrator.app;

import dev.skiff.jobs.ConcurrencyPolicy;
import dev.skiff.jobs.CronSchedules;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.MisfirePolicy;
import dev.skiff.jobs.Schedule;
import dev.skiff.orchestrator.domain.ConflictException;
import dev.skiff.orchestrator.domain.NotFoundException;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.domain.Trigger;
import dev.skiff.orchestrator.domain.UpstreamFailedException;
import dev.skiff.orchestrator.port.PausedSchedules;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.RunEngine.RunQuery;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * What a due fire does, by its schedule's policies: a paused schedule skips it; concurrency forbid skips it while a
 * run of the job is active, replace cancels the active runs, allow starts it anyway; fires missed (while no
 * orchestrator ran, or while the machine slept) run as the misfire policy says. Every fire uses the cron run id, so
 * two replicas firing the same instant make one run, and a fire repeated after a crash makes none.
 *
 * <p>Each fire asks the engine only the cheap questions ({@link RunEngine#exists}, {@link RunEngine#activeRunIds}):
 * in AWS mode a fire must not read an execution's history.
 */
final class FirePolicy {

    private static final Logger LOG = Logger.getLogger(FirePolicy.class);
    /** The most active runs one fire with concurrency replace cancels (as many as one ListExecutions page). */
    static final int MAX_REPLACED = 1000;

    private final RunDispatcher dispatcher;
    private final RunEngine engine;
    private final PausedSchedules paused;

    FirePolicy(RunDispatcher dispatcher, RunEngine engine, PausedSchedules paused) {
        this.dispatcher = dispatcher;
        this.engine = engine;
        this.paused = paused;
    }

    /**
     * After a restart: runs what each schedule's misfire policy wants of the job's fires missed before {@code now}.
     * The last fire acted on is read back from the runs themselves (the job's newest cron run), so the scheduler
     * keeps no state of its own; a job that never fired has nothing to catch up. With {@code dealtWithUpTo} (how far a
     * scheduler fired, see {@link FiredUpTo}) no fire at or before it runs again: a fire skipped then (paused,
     * concurrency forbid, given up) stays skipped; and where the engine answers per job, only the jobs with a fire
     * after it are asked about.
     *
     * @return the fires whose start failed on a call that may pass later, for the scheduler to try again
     */
    List<FireQueue.Due> catchUp(Collection<JobSpec> jobs, Optional<Instant> dealtWithUpTo, Instant now) {
        Optional<Instant> narrowBy = engine.newestRunsQueryPerJob() ? dealtWithUpTo : Optional.empty();
        List<JobSpec> asked = new ArrayList<>();
        for (JobSpec job : jobs) { // 60,000 scheduled jobs at a start of 100,000 specs: a loop, no stream per job
            if (mayHaveMissed(job, narrowBy, now)) {
                asked.add(job);
            }
        }
        if (asked.isEmpty()) {
            return List.of();
        }
        Map<String, Instant> lastFires = engine.newestRuns(asked.stream().map(JobSpec::name).toList(), "cron");
        List<FireQueue.Due> failed = new ArrayList<>();
        for (JobSpec job : asked) {
            Instant lastFire = lastFires.get(job.name());
            if (lastFire != null) {
                Instant from = dealtWithUpTo.filter(upTo -> upTo.isAfter(lastFire)).orElse(lastFire);
                catchUp(job, from, now, failed);
            }
        }
        return failed;
    }

    /** Whether a schedule of the job that runs missed fires had one after {@code dealtWithUpTo} (when known). */
    private boolean mayHaveMissed(JobSpec job, Optional<Instant> dealtWithUpTo, Instant now) {
        for (Schedule schedule : job.triggers().schedules()) {
            if (schedule.misfire() != MisfirePolicy.NONE && (dealtWithUpTo.isEmpty() || CronSchedules.nextFire(schedule,
                    dealtWithUpTo.get()).filter(fire -> !fire.toInstant().isAfter(now)).isPresent())) {
                return true;
            }
        }
        return false;
    }

    private void catchUp(JobSpec job, Instant lastFire, Instant now, List<FireQueue.Due> failed) {
        List<Schedule> schedules = job.triggers().schedules();
        for (int i = 0; i < schedules.size(); i++) {
            Schedule schedule = schedules.get(i);
            if (paused.isPaused(job.name(), schedule)) {
                continue; // a paused schedule skips its fires, those missed while stopped too
            }
            for (Instant missed : MisfirePlanner.missed(schedule, lastFire, now)) {
                LOG.infof("job %s: running the fire of %s missed while stopped (misfire %s)",
                        job.name(), missed, schedule.misfire().specName());
                if (fire(job, schedule, missed)) {
                    failed.add(new FireQueue.Due(job.name(), i, missed, false));
                }
            }
        }
    }

    /**
     * A fire missed while the process could not tick: runs the fires from it up to now that the schedule's misfire
     * policy keeps (none, the last, or the newest {@code maxMisfires}).
     */
    void missed(JobSpec job, Schedule schedule, Instant firstMissed, Instant now) {
        List<Instant> kept = MisfirePlanner.missed(schedule, firstMissed.minusMillis(1), now);
        LOG.infof("job %s: the fire of %s was missed (the clock is at %s: suspended, or the clock jumped); misfire %s "
                + "runs %d of the missed fires", job.name(), firstMissed, now, schedule.misfire().specName(), kept.size());
        for (Instant at : kept) {
            fire(job, schedule, at);
        }
    }

    /**
     * Starts the fire's run unless its schedule is paused, the run exists already, or concurrency forbids it.
     *
     * @return true when the start failed on a call that may pass if asked again later (the caller may try again)
     */
    boolean fire(JobSpec job, Schedule schedule, Instant at) {
        String runId = RunIds.cron(job.name(), at);
        try {
            if (paused.isPaused(job.name(), schedule)) {
                LOG.infof("job %s: skipping the fire of %s: schedule '%s' is paused", job.name(), at, schedule.expression());
                return false;
            }
            if (engine.exists(runId)) {
                return false; // another replica, or this one before a restart, already fired it
            }
            if (schedule.concurrency() != ConcurrencyPolicy.ALLOW && !makeRoom(job, schedule, runId, at)) {
                return false;
            }
            dispatcher.dispatch(job, new Trigger(job.name(), runId, "cron", Map.of()));
            return false;
        } catch (UpstreamFailedException e) {
            LOG.errorf("job %s: the fire of %s did not start a run: %s", job.name(), at, e.getMessage());
            return e.retryable();
        } catch (SkiffException e) {
            LOG.errorf("job %s: the fire of %s did not start a run: %s", job.name(), at, e.getMessage());
            return false;
        }
    }

    /** Concurrency forbid or replace: false when a run is active and forbids the fire; replace cancels the active runs. */
    private boolean makeRoom(JobSpec job, Schedule schedule, String runId, Instant at) {
        boolean forbid = schedule.concurrency() == ConcurrencyPolicy.FORBID;
        List<String> active = engine.activeRunIds(job.name(), forbid ? 1 : MAX_REPLACED);
        if (!active.isEmpty() && forbid) {
            LOG.infof("job %s: skipping the fire of %s: run %s is still active (concurrency forbid)",
                    job.name(), at, active.get(0));
            return false;
        }
        for (String run : active) {
            if (run.equals(runId)) {
                continue; // this very fire, started meanwhile by another replica: keep it
            }
            LOG.infof("job %s: cancelling run %s for the fire of %s (concurrency replace)", job.name(), run, at);
            try {
                engine.cancel(run, "replaced by the scheduled run " + runId);
            } catch (ConflictException | NotFoundException e) {
                // it ended (or went) since the list was read: nothing to replace, the new run still starts
            }
        }
        return true;
    }
}
