package dev.skiff.orchestrator.app;

import dev.skiff.jobs.ConcurrencyPolicy;
import dev.skiff.jobs.CronSchedules;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.Schedule;
import dev.skiff.orchestrator.domain.ConflictException;
import dev.skiff.orchestrator.domain.NotFoundException;
import dev.skiff.orchestrator.domain.SkiffException;
import dev.skiff.orchestrator.domain.Trigger;
import dev.skiff.orchestrator.port.PausedSchedules;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.RunEngine.RunQuery;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunIds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Fires cron schedules. Each schedule's next fire time sits in a priority queue, so a tick looks
 * only at what is due, never at every schedule. Every fire uses the cron run id, so two replicas
 * firing the same instant make one run, and a fire repeated after a crash makes none.
 *
 * <p>On start, fires missed while no orchestrator ran are caught up by each schedule's misfire
 * policy. The last fire acted on is read back from the runs themselves (the job's newest cron run),
 * so the scheduler keeps no state of its own.
 */
public final class CronScheduler implements TickLoop.Tickable {

    private static final Logger LOG = Logger.getLogger(CronScheduler.class);
    /**
     * A fire found due this much after its time was missed, not merely ticked late (the loop wakes within a second
     * of a fire): the machine slept, or the clock jumped. Its schedule's misfire policy then decides, as after a
     * restart, instead of every missed fire running back to back. Quartz's default threshold is the same.
     */
    static final Duration MISFIRE_THRESHOLD = Duration.ofMinutes(1);
    /** The most active runs one fire with concurrency replace cancels (as many as one ListExecutions page). */
    static final int MAX_REPLACED = 1000;

    private record Fire(Instant at, String job, int schedule) implements Comparable<Fire> {
        @Override
        public int compareTo(Fire o) {
            int byTime = at.compareTo(o.at);
            return byTime != 0 ? byTime : job.compareTo(o.job) != 0 ? job.compareTo(o.job) : Integer.compare(schedule, o.schedule);
        }
    }

    private final JobCatalog catalog;
    private final RunDispatcher dispatcher;
    private final RunEngine engine;
    private final Clock clock;

    private final ReentrantLock lock = new ReentrantLock();
    private final WakeSignal changed = new WakeSignal();
    private final PriorityQueue<Fire> queue = new PriorityQueue<>();
    /** Every fire at or before this was taken from the queue (or caught up); a reload reschedules from here, not from now. */
    private Instant handledUpTo;
    /** Each job's schedules as the queue holds them, so a reload reschedules only the jobs whose schedules changed. */
    private Map<String, List<Schedule>> queued = Map.of();

    private final PausedSchedules paused;

    /** A scheduler whose pauses last as long as the process (tests, benchmarks). */
    public CronScheduler(JobCatalog catalog, RunDispatcher dispatcher, RunEngine engine, Clock clock) {
        this(catalog, dispatcher, engine, clock, new InMemoryPausedSchedules());
    }

    public CronScheduler(JobCatalog catalog, RunDispatcher dispatcher, RunEngine engine, Clock clock,
                         PausedSchedules paused) {
        this.catalog = catalog;
        this.dispatcher = dispatcher;
        this.engine = engine;
        this.clock = clock;
        this.paused = paused;
        catalog.onChange(this::rescheduleChanged);
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

    /** Runs what each schedule's misfire policy wants of the fires missed before {@code now}, then schedules from now. */
    public void catchUp(Instant now) {
        for (RegisteredJob job : catalog.snapshot().jobs().values()) {
            List<Schedule> schedules = job.spec().triggers().schedules();
            if (schedules.isEmpty()) {
                continue;
            }
            Optional<Instant> lastFire = engine.list(new RunQuery(Optional.of(job.spec().name()), Set.of(),
                    Optional.of("cron"), 1)).stream().findFirst().map(Run::createdAt);
            if (lastFire.isEmpty()) {
                continue;
            }
            for (Schedule schedule : schedules) {
                if (paused.isPaused(job.spec().name(), schedule)) {
                    continue; // a paused schedule skips its fires, those missed while stopped too
                }
                for (Instant missed : MisfirePlanner.missed(schedule, lastFire.get(), now)) {
                    LOG.infof("job %s: running the fire of %s missed while stopped (misfire %s)",
                            job.spec().name(), missed, schedule.misfire().specName());
                    fire(job.spec(), schedule, missed);
                }
            }
        }
        reschedule(now);
    }

    /**
     * After a catalog change: reschedules the jobs whose schedules changed (and drops those that went)
     * from the last tick, so a fire that fell due after it but was not yet ticked (the loop wakes a
     * little after the fire time) is not dropped. Other jobs keep their queued fires: with 100,000
     * schedules, computing every next fire again took seconds for each reload.
     */
    private void rescheduleChanged(JobCatalog.Snapshot snapshot) {
        lock.lock();
        try {
            Instant from = handledUpTo != null ? handledUpTo : clock.instant();
            handledUpTo = from;
            Map<String, List<Schedule>> now = schedulesByJob(snapshot);
            Set<String> changedJobs = new HashSet<>();
            queued.forEach((job, schedules) -> {
                if (!schedules.equals(now.get(job))) {
                    changedJobs.add(job);
                }
            });
            now.keySet().stream().filter(job -> !queued.containsKey(job)).forEach(changedJobs::add);
            queued = now;
            if (changedJobs.isEmpty()) {
                return;
            }
            queue.removeIf(fire -> changedJobs.contains(fire.job()));
            var next = new NextFires();
            for (String job : changedJobs) {
                enqueue(job, now.getOrDefault(job, List.of()), from, next);
            }
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    private static Map<String, List<Schedule>> schedulesByJob(JobCatalog.Snapshot snapshot) {
        Map<String, List<Schedule>> schedules = new HashMap<>();
        for (RegisteredJob job : snapshot.jobs().values()) {
            if (!job.spec().triggers().schedules().isEmpty()) {
                schedules.put(job.spec().name(), job.spec().triggers().schedules());
            }
        }
        return schedules;
    }

    private void enqueue(String job, List<Schedule> schedules, Instant after, NextFires next) {
        for (int i = 0; i < schedules.size(); i++) {
            int index = i;
            next.after(schedules.get(i), after).ifPresent(at -> queue.add(new Fire(at, job, index)));
        }
    }

    /** Rebuilds the queue from the catalog: the next fire of every schedule after {@code now}. */
    void reschedule(Instant now) {
        lock.lock();
        try {
            handledUpTo = now;
            queue.clear();
            queued = schedulesByJob(catalog.snapshot());
            var next = new NextFires();
            queued.forEach((job, schedules) -> enqueue(job, schedules, now, next));
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void tick(Instant now) {
        List<Fire> due = new ArrayList<>();
        lock.lock();
        try {
            var next = new NextFires();
            while (!queue.isEmpty() && !queue.peek().at().isAfter(now)) {
                Fire fire = queue.poll();
                if (Duration.between(fire.at(), now).compareTo(MISFIRE_THRESHOLD) > 0) {
                    due.addAll(misfired(fire, now, next));
                } else {
                    due.add(fire);
                    scheduleAfter(fire, next);
                }
            }
            if (handledUpTo == null || now.isAfter(handledUpTo)) {
                handledUpTo = now;
            }
        } finally {
            lock.unlock();
        }
        // Firing talks to the engine; do it outside the lock so a reload is never blocked behind it.
        for (Fire fire : due) {
            catalog.find(fire.job()).ifPresent(spec -> {
                var schedules = spec.triggers().schedules();
                if (fire.schedule() < schedules.size()) {
                    fire(spec, schedules.get(fire.schedule()), fire.at());
                }
            });
        }
    }

    /**
     * A fire missed while the process could not tick: the fires from it up to now that the schedule's misfire policy
     * keeps (none, the last, or the newest {@code maxMisfires}); its next fire is queued after now.
     */
    private List<Fire> misfired(Fire fire, Instant now, NextFires next) {
        Optional<Schedule> schedule = catalog.find(fire.job())
                .filter(spec -> fire.schedule() < spec.triggers().schedules().size())
                .map(spec -> spec.triggers().schedules().get(fire.schedule()));
        if (schedule.isEmpty()) {
            return List.of();
        }
        List<Instant> kept = MisfirePlanner.missed(schedule.get(), fire.at().minusMillis(1), now);
        LOG.infof("job %s: the fire of %s was missed (the clock is at %s: suspended, or the clock jumped); misfire %s "
                + "runs %d of the missed fires", fire.job(), fire.at(), now, schedule.get().misfire().specName(), kept.size());
        next.after(schedule.get(), now).ifPresent(at -> queue.add(new Fire(at, fire.job(), fire.schedule())));
        return kept.stream().map(at -> new Fire(at, fire.job(), fire.schedule())).toList();
    }

    private void scheduleAfter(Fire fire, NextFires next) {
        catalog.find(fire.job())
                .filter(spec -> fire.schedule() < spec.triggers().schedules().size())
                .flatMap(spec -> next.after(spec.triggers().schedules().get(fire.schedule()), fire.at()))
                .ifPresent(at -> queue.add(new Fire(at, fire.job(), fire.schedule())));
    }

    private void fire(JobSpec job, Schedule schedule, Instant at) {
        String runId = RunIds.cron(job.name(), at);
        try {
            if (paused.isPaused(job.name(), schedule)) {
                LOG.infof("job %s: skipping the fire of %s: schedule '%s' is paused", job.name(), at, schedule.expression());
                return;
            }
            if (engine.exists(runId)) {
                return; // another replica, or this one before a restart, already fired it
            }
            if (schedule.concurrency() != ConcurrencyPolicy.ALLOW) {
                boolean forbid = schedule.concurrency() == ConcurrencyPolicy.FORBID;
                List<String> active = engine.activeRunIds(job.name(), forbid ? 1 : MAX_REPLACED);
                if (!active.isEmpty() && forbid) {
                    LOG.infof("job %s: skipping the fire of %s: run %s is still active (concurrency forbid)",
                            job.name(), at, active.get(0));
                    return;
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
            }
            dispatcher.dispatch(job, new Trigger(job.name(), runId, "cron", Map.of()));
        } catch (SkiffException e) {
            LOG.errorf("job %s: the fire of %s did not start a run: %s", job.name(), at, e.getMessage());
        }
    }

    @Override
    public Optional<Instant> nextWakeUp() {
        lock.lock();
        try {
            return Optional.ofNullable(queue.peek()).map(Fire::at);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void awaitChange(long maxWaitNanos) throws InterruptedException {
        changed.await(maxWaitNanos);
    }

    /** The next {@code count} fire times of each of a job's schedules, for people reading the API. */
    public static List<List<Instant>> upcoming(JobSpec job, Instant now, int count) {
        return job.triggers().schedules().stream().map(s -> CronSchedules.nextFires(s, now, count)).toList();
    }
}
