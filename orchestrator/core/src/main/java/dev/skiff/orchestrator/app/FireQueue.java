package dev.skiff.orchestrator.app;

import dev.skiff.jobs.Schedule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * When each schedule fires next. Fires wait in buckets by their instant (cron fires fall on whole seconds, so ten
 * thousand schedules share at most a few hundred instants), in time order, so taking what is due looks only at
 * what is due, never at every schedule, and takes a whole second's fires at once: no heap of every fire to sift
 * through (and miss the CPU's caches on) for each one. It decides nothing about a fire (pauses, concurrency, misfire policy:
 * {@link FirePolicy}); it only says which fires fell due, and which of them were missed because nothing ticked.
 * Thread-safe: a catalog reload may come while a tick takes fires.
 */
final class FireQueue {

    private static final Logger LOG = Logger.getLogger(FireQueue.class);

    /**
     * A fire found due this much after its time was missed, not merely ticked late (the loop wakes within a second
     * of a fire): the machine slept, or the clock jumped. Its schedule's misfire policy then decides, as after a
     * restart, instead of every missed fire running back to back. Quartz's default threshold is the same.
     */
    static final Duration MISFIRE_THRESHOLD = Duration.ofMinutes(1);

    /**
     * A schedule's fire that fell due.
     *
     * @param schedule the schedule's position in the job's {@code triggers.schedules}
     * @param missed   true when it fell due more than {@link #MISFIRE_THRESHOLD} before the tick: the fires from it up
     *                 to the tick were missed, and the schedule's next fire is queued after the tick
     */
    record Due(String job, int schedule, Instant at, boolean missed) {
    }

    private record Fire(Instant at, String job, int schedule, long version) {
    }

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final WakeSignal changed = new WakeSignal();
    /** The queued fires by instant; within an instant, in the order they were queued. */
    private final TreeMap<Instant, List<Fire>> queue = new TreeMap<>();
    /** Fires in {@link #queue}, stale ones included. */
    private int size;
    /** Every fire at or before this was taken from the queue (or caught up); a reload reschedules from here, not from now. */
    private Instant handledUpTo;
    /** Each job's schedules as the queue holds them, so a reload reschedules only the jobs whose schedules changed. */
    private final Map<String, List<Schedule>> queued = new HashMap<>();
    /** The version of each job's schedules: a queued fire of an older version is stale, and skipped. */
    private final Map<String, Long> versions = new HashMap<>();
    /** How many fires of each job's current version are queued: they turn stale together when its schedules change. */
    private final Map<String, Integer> queuedFires = new HashMap<>();
    private long lastVersion;
    /** Stale fires still in the queue; past a bound they are swept out at once, so the queue does not grow with edits. */
    private int staleFires;
    /**
     * Whether {@link #rebuild} ran: until it has, catalog changes queue nothing, since it reads every schedule anyway.
     * A start publishes its first load (100,000 jobs) before the catch-up rebuilds the queue from it.
     */
    private boolean built;
    /** Where the fires of the catalog's first load are computed ahead ({@link PreparedFires}). */
    private final Executor background;
    /** The fires computed ahead from the first catalog change before {@link #rebuild}; null once taken, or none. */
    private CompletableFuture<PreparedFires> prepared;

    /** A queue that computes the fires of a start's first load on the common pool while the start goes on. */
    FireQueue(Clock clock) {
        this(clock, ForkJoinPool.commonPool());
    }

    /** @param background where the fires of the catalog's first change before {@link #rebuild} are computed ahead */
    FireQueue(Clock clock, Executor background) {
        this.clock = clock;
        this.background = background;
    }

    /**
     * Rebuilds the queue: the next fire of every schedule of the catalog after {@code now}, taking those computed
     * ahead from the first change that still hold ({@link PreparedFires}).
     */
    void rebuild(JobCatalog.Snapshot snapshot, Instant now) {
        lock.lock();
        try {
            PreparedFires ahead = takePrepared(now);
            handledUpTo = now;
            built = true;
            queue.clear();
            size = 0;
            queued.clear();
            versions.clear();
            queuedFires.clear();
            staleFires = 0;
            queued.putAll(ahead == null ? PreparedFires.schedulesByJob(snapshot) : ahead.schedulesOf(snapshot));
            var next = new NextFires();
            queued.forEach((job, schedules) -> {
                versions.put(job, ++lastVersion);
                enqueue(job, schedules, now, next, ahead);
            });
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * After a catalog change: reschedules the jobs whose schedules changed (and drops those that went)
     * from the last tick, so a fire that fell due after it but was not yet ticked (the loop wakes a
     * little after the fire time) is not dropped. Only the jobs the change names are looked at, and their
     * old fires are not searched for in the queue: a fire of a schedule that changed since it was queued is
     * stale ({@link #isCurrent}) and is dropped when it reaches the head. With 100,000 schedules, walking every
     * job (or the whole queue) again took milliseconds to seconds for each reload. Before the first {@link #rebuild},
     * nothing: it reads the catalog as it is then, this change included.
     */
    void rescheduleChanged(JobCatalog.Snapshot snapshot) {
        lock.lock();
        try {
            if (!built) {
                prepare(snapshot);
                return;
            }
            Instant from = handledUpTo != null ? handledUpTo : clock.instant();
            handledUpTo = from;
            var next = new NextFires();
            boolean any = false;
            for (String job : snapshot.changed()) {
                RegisteredJob now = snapshot.jobs().get(job);
                List<Schedule> schedules = now == null ? List.of() : now.spec().triggers().schedules();
                if (schedules.equals(queued.getOrDefault(job, List.of()))) {
                    continue;
                }
                any = true;
                long version = ++lastVersion;
                if (schedules.isEmpty()) {
                    queued.remove(job);
                    versions.remove(job);
                } else {
                    queued.put(job, schedules);
                    versions.put(job, version);
                }
                staleFires += queuedFires.getOrDefault(job, 0);
                queuedFires.remove(job);
                enqueue(job, schedules, from, next, null);
            }
            if (staleFires > Math.max(1024, size / 2)) {
                sweepStale();
                staleFires = 0;
            }
            if (any) {
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts computing the fires of the first change ahead, on the other core, while the start goes on. Later changes
     * before the rebuild start nothing: the rebuild computes anew only the jobs they changed.
     */
    private void prepare(JobCatalog.Snapshot snapshot) {
        if (prepared != null) {
            return;
        }
        Instant after = clock.instant();
        try {
            prepared = CompletableFuture.supplyAsync(() -> PreparedFires.of(snapshot, after), background);
        } catch (RejectedExecutionException e) {
            prepared = null; // the rebuild computes every fire itself
        }
    }

    /** The fires computed ahead (waiting for them if need be), if they can serve a rebuild from {@code now}; null if not. */
    private PreparedFires takePrepared(Instant now) {
        CompletableFuture<PreparedFires> ahead = prepared;
        prepared = null;
        if (ahead == null) {
            return null;
        }
        try {
            PreparedFires fires = ahead.join();
            return fires.serves(now) ? fires : null;
        } catch (CompletionException e) {
            LOG.debugf(e, "the fires computed ahead are not usable; computing them now");
            return null;
        }
    }

    /** Whether {@code fire} was queued from its job's schedules as they are now. */
    private boolean isCurrent(Fire fire) {
        Long version = versions.get(fire.job());
        return version != null && version == fire.version();
    }

    /**
     * Takes every fire due at {@code now}, oldest first, and queues each schedule's next fire: after the fire taken, or
     * after {@code now} for a missed one (the schedule's misfire policy answers for the fires in between).
     */
    List<Due> takeDue(Instant now) {
        List<Due> due = new ArrayList<>();
        lock.lock();
        try {
            var next = new NextFires();
            Instant missedBefore = now.minus(MISFIRE_THRESHOLD);
            for (var bucket = queue.firstEntry(); bucket != null && !bucket.getKey().isAfter(now); bucket = queue.firstEntry()) {
                queue.pollFirstEntry();
                size -= bucket.getValue().size();
                for (Fire fire : bucket.getValue()) {
                    take(fire, now, fire.at().isBefore(missedBefore), next, due);
                }
            }
            if (handledUpTo == null || now.isAfter(handledUpTo)) {
                handledUpTo = now;
            }
        } finally {
            lock.unlock();
        }
        return due;
    }

    /** Hands out one fire taken from the queue, unless stale, and queues its schedule's next fire. */
    private void take(Fire fire, Instant now, boolean missed, NextFires next, List<Due> due) {
        if (!isCurrent(fire)) {
            staleFires--;
            return; // its job's schedules changed since it was queued: the new ones have their own fires
        }
        Schedule schedule = scheduleOf(fire);
        if (missed && schedule == null) {
            queuedFires.merge(fire.job(), -1, Integer::sum);
            return; // its job or schedule went meanwhile: nothing to decide about, nothing to queue
        }
        due.add(new Due(fire.job(), fire.schedule(), fire.at(), missed));
        Optional<Instant> at = schedule == null ? Optional.empty() : next.after(schedule, missed ? now : fire.at());
        if (at.isPresent()) {
            insert(new Fire(at.get(), fire.job(), fire.schedule(), fire.version())); // one out, one in: the count stays
        } else {
            queuedFires.merge(fire.job(), -1, Integer::sum);
        }
    }

    Optional<Instant> nextWakeUp() {
        lock.lock();
        try {
            for (var bucket = queue.firstEntry(); bucket != null; bucket = queue.firstEntry()) {
                List<Fire> fires = bucket.getValue();
                int before = fires.size();
                fires.removeIf(fire -> !isCurrent(fire));
                staleFires -= before - fires.size();
                size -= before - fires.size();
                if (!fires.isEmpty()) {
                    return Optional.of(bucket.getKey());
                }
                queue.pollFirstEntry();
            }
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** Waits at most the given time, returning early once the queue changed (including before the call). */
    void awaitChange(long maxWaitNanos) throws InterruptedException {
        changed.await(maxWaitNanos);
    }

    /** The fire's schedule as queued now; null when its job or schedule went. */
    private Schedule scheduleOf(Fire fire) {
        List<Schedule> schedules = queued.getOrDefault(fire.job(), List.of());
        return fire.schedule() < schedules.size() ? schedules.get(fire.schedule()) : null;
    }

    /** Queues the next fire after {@code after} of each schedule; {@code ahead}: fires computed ahead, or null. */
    private void enqueue(String job, List<Schedule> schedules, Instant after, NextFires next, PreparedFires ahead) {
        Long version = versions.get(job);
        for (int i = 0; version != null && i < schedules.size(); i++) {
            int index = i;
            (ahead == null ? next.after(schedules.get(i), after) : ahead.nextAfter(job, schedules, i, after, next))
                    .ifPresent(at -> add(new Fire(at, job, index, version)));
        }
    }

    private void add(Fire fire) {
        insert(fire);
        queuedFires.merge(fire.job(), 1, Integer::sum);
    }

    private void insert(Fire fire) {
        queue.computeIfAbsent(fire.at(), at -> new ArrayList<>()).add(fire);
        size++;
    }

    /** Drops every stale fire at once, and the instants left with none. */
    private void sweepStale() {
        var buckets = queue.values().iterator();
        while (buckets.hasNext()) {
            List<Fire> fires = buckets.next();
            int before = fires.size();
            fires.removeIf(fire -> !isCurrent(fire));
            size -= before - fires.size();
            if (fires.isEmpty()) {
                buckets.remove();
            }
        }
    }

}
