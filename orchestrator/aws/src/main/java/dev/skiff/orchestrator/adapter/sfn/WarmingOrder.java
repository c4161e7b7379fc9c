package dev.skiff.orchestrator.adapter.sfn;

import dev.skiff.jobs.AfterTrigger;
import dev.skiff.jobs.CronSchedules;
import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * When the {@link StateMachineWarmer} readies each machine its start found missing, so that the jobs that will run
 * soon find theirs ready without the warmer working through a large catalog at full pace for hours. A scheduled job
 * (or one that follows a scheduled job: it runs right after it) is due {@code ahead} before its next fire, or earlier
 * when the jobs firing after it would otherwise not all be readied in time at one per {@code pause}; they come in
 * fire order. The others (jobs started by events or the API, whose next run nobody can tell) come in name order, at the
 * warmer's slower pace for them.
 */
final class WarmingOrder {

    /** A scheduled job and the latest moment its machine should be started on to be ready in time. */
    record Due(String job, Instant startBy) {
    }

    private record CronKey(String expression, ZoneId zone) {
    }

    private final ArrayDeque<Due> scheduled;
    private final ArrayDeque<String> unscheduled;

    private WarmingOrder(ArrayDeque<Due> scheduled, ArrayDeque<String> unscheduled) {
        this.scheduled = scheduled;
        this.unscheduled = unscheduled;
    }

    /**
     * @param lacking the jobs whose machines are to be made
     * @param specs   every job's spec by name (a follower's leaders may have their machines already)
     * @param pause   the warmer's time per machine at its full pace
     */
    static WarmingOrder of(Collection<String> lacking, Function<String, Optional<JobSpec>> specs, Instant now,
                           Duration ahead, Duration pause) {
        var fires = new FireTimes(specs, now);
        var timed = new ArrayList<Due>();
        var untimed = new ArrayList<String>();
        for (String job : lacking) {
            fires.of(job).ifPresentOrElse(fire -> timed.add(new Due(job, fire.minus(ahead))), () -> untimed.add(job));
        }
        timed.sort(Comparator.comparing(Due::startBy).thenComparing(Due::job));
        // Backwards: each job starts by its own time, and early enough to leave every later one its pause.
        var startBys = new ArrayDeque<Due>(timed.size());
        Instant latest = Instant.MAX;
        for (int i = timed.size() - 1; i >= 0; i--) {
            Due due = timed.get(i);
            latest = latest.equals(Instant.MAX) || due.startBy().isBefore(latest.minus(pause))
                    ? due.startBy() : latest.minus(pause);
            startBys.addFirst(new Due(due.job(), latest));
        }
        untimed.sort(Comparator.naturalOrder());
        return new WarmingOrder(startBys, new ArrayDeque<>(untimed));
    }

    /** The next scheduled job and when it is due; empty when none is left. */
    Optional<Due> nextScheduled() {
        return Optional.ofNullable(scheduled.peekFirst());
    }

    String takeScheduled() {
        return scheduled.removeFirst().job();
    }

    boolean hasUnscheduled() {
        return !unscheduled.isEmpty();
    }

    String takeUnscheduled() {
        return unscheduled.removeFirst();
    }

    boolean isEmpty() {
        return scheduled.isEmpty() && unscheduled.isEmpty();
    }

    /** Each job's next run as its schedules or its leaders' schedules tell it, each cron computed once. */
    private static final class FireTimes {

        private final Function<String, Optional<JobSpec>> specs;
        private final Instant now;
        private final Map<CronKey, Optional<Instant>> crons = new HashMap<>();
        private final Map<String, Optional<Instant>> jobs = new HashMap<>();

        FireTimes(Function<String, Optional<JobSpec>> specs, Instant now) {
            this.specs = specs;
            this.now = now;
        }

        Optional<Instant> of(String job) {
            return of(job, new HashSet<>());
        }

        /** {@code following}: the jobs on the way here, so that a loop of followers ends. */
        private Optional<Instant> of(String job, Set<String> following) {
            Optional<Instant> known = jobs.get(job);
            if (known != null) {
                return known;
            }
            if (!following.add(job)) {
                return Optional.empty();
            }
            Optional<Instant> fire = specs.apply(job).flatMap(spec -> earliest(spec, following));
            jobs.put(job, fire);
            return fire;
        }

        private Optional<Instant> earliest(JobSpec spec, Set<String> following) {
            List<Optional<Instant>> fires = new ArrayList<>();
            for (Schedule schedule : spec.triggers().schedules()) {
                fires.add(crons.computeIfAbsent(new CronKey(schedule.expression(), schedule.timeZone()),
                        key -> CronSchedules.nextFire(schedule, now).map(ZonedDateTime::toInstant)));
            }
            for (AfterTrigger after : spec.triggers().after()) {
                fires.add(of(after.job(), following));
            }
            return fires.stream().flatMap(Optional::stream).min(Comparator.naturalOrder());
        }
    }
}
