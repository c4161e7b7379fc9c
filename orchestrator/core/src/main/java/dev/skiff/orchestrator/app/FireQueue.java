package dev.skiff.orchestrator.app;

import dev.skiff.jobs.Schedule;
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

    private record Fire(Instant at, String job, int schedule) implements Comparable<Fire> {
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
    private Map<String, List<Schedule>> queued = Map.of();

    FireQueue(Clock clock) {
        this.clock = clock;
    }

    /** Rebuilds the queue: the next fire of every schedule of the catalog after {@code now}. */
    void rebuild(JobCatalog.Snapshot snapshot, Instant now) {
        lock.lock();
        try {
            handledUpTo = now;
            queue.clear();
            queued = schedulesByJob(snapshot);
            var next = new NextFires();
            queued.forEach((job, schedules) -> enqueue(job, schedules, now, next));
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * After a catalog change: reschedules the jobs whose schedules changed (and drops those that went)
     * from the last tick, so a fire that fell due after it but was not yet ticked (the loop wakes a
     * little after the fire time) is not dropped. Other jobs keep their queued fires: with 100,000
     * schedules, computing every next fire again took seconds for each reload.
     */
    void rescheduleChanged(JobCatalog.Snapshot snapshot) {
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
                Optional<Schedule> schedule = scheduleOf(fire);
                boolean missed = Duration.between(fire.at(), now).compareTo(MISFIRE_THRESHOLD) > 0;
                if (missed && schedule.isEmpty()) {
                    continue; // its job or schedule went meanwhile: nothing to decide about, nothing to queue
                }
                due.add(new Due(fire.job(), fire.schedule(), fire.at(), missed));
                schedule.flatMap(s -> next.after(s, missed ? now : fire.at()))
                        .ifPresent(at -> queue.add(new Fire(at, fire.job(), fire.schedule())));
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
        for (int i = 0; i < schedules.size(); i++) {
            int index = i;
            next.after(schedules.get(i), after).ifPresent(at -> queue.add(new Fire(at, job, index)));
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
}
