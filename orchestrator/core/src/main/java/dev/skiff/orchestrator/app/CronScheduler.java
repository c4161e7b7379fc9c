package dev.skiff.orchestrator.app;

import dev.skiff.jobs.CronSchedules;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.Schedule;
import dev.skiff.orchestrator.domain.NotFoundException;
import dev.skiff.orchestrator.port.PausedSchedules;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.Watermarks;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Fires cron schedules: takes the due fires from the {@link FireQueue} (when each schedule fires next) and hands each
 * to the {@link FirePolicy} (what a fire does: pauses, concurrency, misfires), with the job's spec as the catalog holds
 * it now. On start, {@link #catchUp} runs the fires missed while no orchestrator ran.
 */
public final class CronScheduler implements TickLoop.Tickable {

    private static final Logger LOG = Logger.getLogger(CronScheduler.class);

    private final JobCatalog catalog;
    private final PausedSchedules paused;
    private final FireQueue queue;
    private final FirePolicy policy;
    private final FireRetries retries = new FireRetries();
    private final FiredUpTo firedUpTo;

    /** A scheduler whose pauses last as long as the process, keeping no mark of how far it fired (tests, benchmarks). */
    public CronScheduler(JobCatalog catalog, RunDispatcher dispatcher, RunEngine engine, Clock clock) {
        this(catalog, dispatcher, engine, clock, new InMemoryPausedSchedules(), FiredUpTo.NONE);
    }

    /**
     * @param watermarks where the scheduler keeps how far it fired, so that a restart asks the engine only about the
     *                   jobs with a fire since (see {@link FiredUpTo})
     */
    public CronScheduler(JobCatalog catalog, RunDispatcher dispatcher, RunEngine engine, Clock clock,
                         PausedSchedules paused, Watermarks watermarks) {
        this(catalog, dispatcher, engine, clock, paused, new FiredUpTo(watermarks));
    }

    private CronScheduler(JobCatalog catalog, RunDispatcher dispatcher, RunEngine engine, Clock clock,
                          PausedSchedules paused, FiredUpTo firedUpTo) {
        this.catalog = catalog;
        this.paused = paused;
        this.firedUpTo = firedUpTo;
        this.queue = new FireQueue(clock);
        this.policy = new FirePolicy(dispatcher, engine, paused);
        catalog.onChange(queue::rescheduleChanged);
    }

    /**
     * Pauses one schedule of a job: its fires are skipped (not queued for later) until it is resumed.
     *
     * @param index the schedule's position in the job's {@code triggers.schedules}
     * @return false when it was paused already
     */
    public boolean pause(String job, int index) {
        return paused.pause(job, schedule(job, index));
    }

    /** Resumes a paused schedule from its next fire; the fires skipped while paused stay skipped. */
    public boolean resume(String job, int index) {
        return paused.resume(job, schedule(job, index));
    }

    public boolean isPaused(String job, Schedule schedule) {
        return paused.isPaused(job, schedule);
    }

    private Schedule schedule(String job, int index) {
        JobSpec spec = catalog.find(job).orElseThrow(() -> NotFoundException.job(job));
        List<Schedule> schedules = spec.triggers().schedules();
        if (index < 0 || index >= schedules.size()) {
            throw new NotFoundException("job " + job + " has no schedule " + index + " (it has " + schedules.size()
                    + (schedules.size() == 1 ? " schedule, index 0)" : " schedules, indexes from 0)"));
        }
        return schedules.get(index);
    }

    /**
     * Runs what each schedule's misfire policy wants of the fires missed before {@code now}, then schedules from now.
     * A missed fire whose start failed on a call that may pass later is tried again as a due fire would be.
     */
    public void catchUp(Instant now) {
        List<JobSpec> scheduled = new ArrayList<>();
        for (RegisteredJob job : catalog.snapshot().jobs().values()) { // every job, on a start's main thread: no stream
            if (!job.spec().triggers().schedules().isEmpty()) {
                scheduled.add(job.spec());
            }
        }
        List<FireQueue.Due> failed = policy.catchUp(scheduled, firedUpTo.read(), now);
        failed.forEach(due -> retries.failed(due, 1, now));
        reschedule(now);
    }

    /** Rebuilds the queue from the catalog: the next fire of every schedule after {@code now}. */
    void reschedule(Instant now) {
        queue.rebuild(catalog.snapshot(), now);
    }

    @Override
    public void tick(Instant now) {
        // Firing talks to the engine; the queue's lock is not held meanwhile, so a reload is never blocked behind it.
        for (FireQueue.Due due : queue.takeDue(now)) {
            fire(due, 0, now);
        }
        for (FireRetries.Retry retry : retries.takeDue(now)) {
            fire(retry.due(), retry.tries(), now);
        }
        // A fire still waiting for a retry is not dealt with: the mark stays before it, so a restart meanwhile tries it.
        firedUpTo.dealtWith(retries.oldestFire().map(at -> at.minusMillis(1)).filter(at -> at.isBefore(now)).orElse(now), now);
    }

    /** One try of a due fire, by the job's spec as the catalog holds it now; {@code failedTries} tries failed before. */
    private void fire(FireQueue.Due due, int failedTries, Instant now) {
        catalog.find(due.job()).ifPresent(spec -> {
            List<Schedule> schedules = spec.triggers().schedules();
            if (due.schedule() >= schedules.size()) {
                return;
            }
            if (due.missed()) {
                policy.missed(spec, schedules.get(due.schedule()), due.at(), now);
            } else if (policy.fire(spec, schedules.get(due.schedule()), due.at())) {
                if (!retries.failed(due, failedTries + 1, now)) {
                    LOG.errorf("job %s: gave up the fire of %s after %d tries", due.job(), due.at(), failedTries + 1);
                }
            }
        });
    }

    @Override
    public Optional<Instant> nextWakeUp() {
        Optional<Instant> fire = queue.nextWakeUp();
        Optional<Instant> retry = retries.nextWakeUp();
        return retry.isEmpty() || fire.isPresent() && fire.get().isBefore(retry.get()) ? fire : retry;
    }

    @Override
    public void awaitChange(long maxWaitNanos) throws InterruptedException {
        queue.awaitChange(maxWaitNanos);
    }

    /** The next {@code count} fire times of each of a job's schedules, for people reading the API. */
    public static List<List<Instant>> upcoming(JobSpec job, Instant now, int count) {
        return job.triggers().schedules().stream().map(s -> CronSchedules.nextFires(s, now, count)).toList();
    }
}
