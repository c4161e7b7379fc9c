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
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * When each schedule fires next. Each schedule's next fire time sits in a priority queue, so taking what is due looks
 * only at what is due, never at every schedule. It decides nothing about a fire (pauses, concurrency, misfire policy:
 * {@link FirePolicy}); it only says which fires fell due, and which of them were missed because nothing ticked.
 * Thread-safe: a catalog reload may come while a tick takes fires.
 */
final class FireQueue {

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

    private record Fire(Instant at, String job, int schedule, long version) implements Comparable<Fire> {
        @Override
        public int compareTo(Fire o) {
            int byTime = at.compareTo(o.at);
            return byTime != 0 ? byTime : job.compareTo(o.job) != 0 ? job.compareTo(o.job) : Integer.compare(schedule, o.schedule);
        }
    }

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final WakeSignal changed = new WakeSignal();
    private final PriorityQueue<Fire> queue = new PriorityQueue<>();
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

    FireQueue(Clock clock) {
        this.clock = clock;
    }

    /** Rebuilds the queue: the next fire of every schedule of the catalog after {@code now}. */
    void rebuild(JobCatalog.Snapshot snapshot, Instant now) {
        lock.lock();
        try {
            handledUpTo = now;
            built = true;
            queue.clear();
            queued.clear();
            versions.clear();
            queuedFires.clear();
            staleFires = 0;
            queued.putAll(schedulesByJob(snapshot));
            var next = new NextFires();
            queued.forEach((job, schedules) -> {
                versions.put(job, ++lastVersion);
                enqueue(job, schedules, now, next);
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
                enqueue(job, schedules, from, next);
            }
            if (staleFires > Math.max(1024, queue.size() / 2)) {
                queue.removeIf(fire -> !isCurrent(fire));
                staleFires = 0;
            }
            if (any) {
                changed.signal();
            }
        } finally {
            lock.unlock();
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
            while (!queue.isEmpty() && !queue.peek().at().isAfter(now)) {
                Fire fire = queue.poll();
                if (!isCurrent(fire)) {
                    staleFires--;
                    continue; // its job's schedules changed since it was queued: the new ones have their own fires
                }
                Optional<Schedule> schedule = scheduleOf(fire);
                boolean missed = Duration.between(fire.at(), now).compareTo(MISFIRE_THRESHOLD) > 0;
                if (missed && schedule.isEmpty()) {
                    continue; // its job or schedule went meanwhile: nothing to decide about, nothing to queue
                }
                due.add(new Due(fire.job(), fire.schedule(), fire.at(), missed));
                queuedFires.merge(fire.job(), -1, Integer::sum);
                schedule.flatMap(s -> next.after(s, missed ? now : fire.at()))
                        .ifPresent(at -> add(new Fire(at, fire.job(), fire.schedule(), fire.version())));
            }
            if (handledUpTo == null || now.isAfter(handledUpTo)) {
                handledUpTo = now;
            }
        } finally {
            lock.unlock();
        }
        return due;
    }

    Optional<Instant> nextWakeUp() {
        lock.lock();
        try {
            while (!queue.isEmpty() && !isCurrent(queue.peek())) {
                queue.poll();
                staleFires--;
            }
            return Optional.ofNullable(queue.peek()).map(Fire::at);
        } finally {
            lock.unlock();
        }
    }

    /** Waits at most the given time, returning early once the queue changed (including before the call). */
    void awaitChange(long maxWaitNanos) throws InterruptedException {
        changed.await(maxWaitNanos);
    }

    private Optional<Schedule> scheduleOf(Fire fire) {
        List<Schedule> schedules = queued.getOrDefault(fire.job(), List.of());
        return fire.schedule() < schedules.size() ? Optional.of(schedules.get(fire.schedule())) : Optional.empty();
    }

    private void enqueue(String job, List<Schedule> schedules, Instant after, NextFires next) {
        Long version = versions.get(job);
        for (int i = 0; version != null && i < schedules.size(); i++) {
            int index = i;
            next.after(schedules.get(i), after).ifPresent(at -> add(new Fire(at, job, index, version)));
        }
    }

    private void add(Fire fire) {
        queue.add(fire);
        queuedFires.merge(fire.job(), 1, Integer::sum);
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
}
