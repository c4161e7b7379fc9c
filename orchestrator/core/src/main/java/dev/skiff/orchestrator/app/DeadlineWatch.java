package dev.skiff.orchestrator.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.jobs.CronSchedules;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.RunEvents;
import dev.skiff.jobs.Schedule;
import dev.skiff.orchestrator.port.MissedDeadlines;
import dev.skiff.orchestrator.port.PausedSchedules;
import dev.skiff.orchestrator.port.RunEngine;
import dev.skiff.orchestrator.port.Watermarks;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunIds;
import dev.skiff.workflows.RunStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Checks each schedule's {@code deadline}: when a fire's deadline (fire time + deadline) passes, the fire's run (its
 * cron run id) must have SUCCEEDED by then; if it has not — still running, failed, or never started — a Run Deadline
 * Missed event is announced, once. What was announced is kept by {@link MissedDeadlines}, and how far the watch
 * checked by {@link Watermarks}: after a restart it goes on from there (at most {@code lookback} back), so a deadline
 * that passed while Skiff was down is announced after the restart. Nothing a restart needs is kept only in memory.
 */
public final class DeadlineWatch implements TickLoop.Tickable {

    private static final Logger LOG = Logger.getLogger(DeadlineWatch.class);
    /** The most fires of one schedule checked per tick: a per-second schedule must not make a tick read thousands of runs. */
    static final int MAX_FIRES_PER_TICK = 100;
    /**
     * A schedule added while Skiff runs is held to fires this long after the watch saw it: the scheduler learns of it
     * at about the same moment, and a fire in between may be one it never started.
     */
    static final Duration ADDED_GRACE = Duration.ofSeconds(2);
    /** The longest sleep: schedules may change meanwhile. */
    static final Duration MAX_WAIT = Duration.ofSeconds(30);

    /** The jobs with a deadline on a schedule, kept from the catalog's changes. */
    private final Map<String, JobSpec> withDeadlines = new ConcurrentHashMap<>();
    private final RunEngine engine;
    private final PausedSchedules paused;
    private final MissedDeadlines missed;
    private final Watermarks watermarks;
    private final WakeSignal wake = new WakeSignal();
    private Instant checkedUpTo;
    /**
     * When this watch first saw each schedule after its first tick: a schedule added later (a new job, a changed spec)
     * is held to deadlines of fires after that moment only, since no run was due before the scheduler knew it.
     */
    private final Map<String, Instant> addedAt = new HashMap<>();
    private boolean firstTick = true;
    /** The watermark's name. */
    static final String WATERMARK = "deadlines";
    private volatile Instant nextDeadline = Instant.MIN;

    /**
     * @param watermarks where the watch keeps how far it checked: after a restart it goes on from there (a deadline
     *                   that passed while Skiff was down is announced then), and the first start checks from now
     * @param lookback   the furthest back a restart checks
     */
    public DeadlineWatch(JobCatalog catalog, RunEngine engine, PausedSchedules paused, MissedDeadlines missed,
                         Watermarks watermarks, Clock clock, Duration lookback) {
        this.engine = engine;
        this.paused = paused;
        this.missed = missed;
        this.watermarks = watermarks;
        Instant now = clock.instant();
        Instant earliest = now.minus(lookback);
        this.checkedUpTo = watermarks.get(WATERMARK).map(at -> at.isBefore(earliest) ? earliest : at).orElse(now);
        catalog.onChange(snapshot -> {
            snapshot.changed().forEach(name -> index(name, snapshot.jobs().get(name)));
            wake.signal();
        });
        // A start walks every job once here, on its main thread (100,000 at scale): no stream per job, no removal of
        // what was never added.
        catalog.snapshot().jobs().forEach((name, job) -> {
            if (hasDeadline(job.spec())) {
                withDeadlines.put(name, job.spec());
            }
        });
    }

    /**
     * Keeps {@code job} among the jobs to check if a schedule of it has a deadline. The loop ticks every second: walking
     * all 100,000 jobs each time to find the few with deadlines took a fortieth of a core.
     */
    private void index(String name, RegisteredJob job) {
        if (job != null && hasDeadline(job.spec())) {
            withDeadlines.put(name, job.spec());
        } else {
            withDeadlines.remove(name);
        }
    }

    private static boolean hasDeadline(JobSpec job) {
        for (Schedule schedule : job.triggers().schedules()) {
            if (schedule.deadline().isPresent()) {
                return true;
            }
        }
        return false;
    }

    /** Checks every deadline that passed after the last check, up to {@code now}. */
    @Override
    public void tick(Instant now) {
        Instant from = checkedUpTo;
        Instant earliestNext = now.plus(MAX_WAIT);
        boolean any = false;
        for (JobSpec job : withDeadlines.values()) {
            for (Schedule schedule : job.triggers().schedules()) {
                if (schedule.deadline().isEmpty()) {
                    continue;
                }
                Duration deadline = schedule.deadline().get();
                any = true;
                Instant added = addedAt.computeIfAbsent(PausedSchedules.key(job.name(), schedule),
                        key -> firstTick ? Instant.MIN : now.plus(ADDED_GRACE));
                if (!paused.isPaused(job.name(), schedule)) {
                    check(job, schedule, deadline, from, added, now);
                }
                Optional<Instant> next = CronSchedules.nextFire(schedule, now.minus(deadline)).map(f -> f.toInstant().plus(deadline));
                if (next.isPresent() && next.get().isBefore(earliestNext)) {
                    earliestNext = next.get();
                }
            }
        }
        checkedUpTo = now;
        firstTick = false;
        if (any) {
            watermarks.put(WATERMARK, now);
        }
        nextDeadline = earliestNext;
    }

    /** The fires after {@code added} whose deadline is in (from, now], newest {@link #MAX_FIRES_PER_TICK} of them. */
    private void check(JobSpec job, Schedule schedule, Duration deadline, Instant from, Instant added, Instant now) {
        List<Instant> fires = new ArrayList<>();
        Instant cursor = from.minus(deadline).isAfter(added) ? from.minus(deadline) : added;
        while (true) {
            Optional<Instant> fire = CronSchedules.nextFire(schedule, cursor).map(f -> f.toInstant());
            if (fire.isEmpty() || fire.get().plus(deadline).isAfter(now)) {
                break;
            }
            fires.add(fire.get());
            if (fires.size() > MAX_FIRES_PER_TICK) {
                fires.remove(0);
            }
            cursor = fire.get();
        }
        for (Instant fire : fires) {
            checkFire(job, fire, fire.plus(deadline));
        }
    }

    private void checkFire(JobSpec job, Instant fire, Instant due) {
        String runId = RunIds.cron(job.name(), fire);
        String eventId = RunEvents.eventId(runId, RunEvents.Kind.DEADLINE_MISSED);
        if (missed.announced(eventId)) {
            return;
        }
        Optional<Run> run = engine.get(runId);
        boolean met = run.filter(r -> r.status() == RunStatus.SUCCEEDED)
                .flatMap(Run::endedAt).filter(ended -> !ended.isAfter(due)).isPresent();
        if (met) {
            return;
        }
        ObjectNode event = RunEventDocuments.deadlineMissed(runId, job.name(), job.owner(), fire, due, run);
        LOG.warnf("job %s: the run of the %s fire (%s) had not succeeded by its deadline %s (it is %s)", job.name(), fire,
                runId, due, run.map(r -> r.status().name()).orElse("not started"));
        missed.announce(eventId, event);
    }

    @Override
    public Optional<Instant> nextWakeUp() {
        return Optional.of(nextDeadline);
    }

    @Override
    public void awaitChange(long maxWaitNanos) throws InterruptedException {
        wake.await(maxWaitNanos);
    }

    /** When the next deadline passes (at most {@link #MAX_WAIT} ahead); for tests and logs. */
    Instant nextDeadline() {
        return nextDeadline;
    }
}
