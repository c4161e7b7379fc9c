package dev.skiff.orchestrator.app;

import dev.skiff.jobs.CronSchedules;
import dev.skiff.jobs.Schedule;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Next fire times, each computed once per pass. Schedules share expressions and zones ("0 2 * * *" in
 * Europe/Berlin) and fire together, so a tick firing ten thousand of them, or a rebuild of the whole
 * queue, needs only as many cron computations as there are distinct (expression, zone, instant).
 * A pass is one tick or one rebuild; not thread-safe.
 */
final class NextFires {

    private record Key(String expression, ZoneId zone, Instant after) {
    }

    private final Map<Key, Optional<Instant>> known = new HashMap<>();

    /** {@link CronSchedules#nextFire}, remembered for this pass. */
    Optional<Instant> after(Schedule schedule, Instant after) {
        return known.computeIfAbsent(new Key(schedule.expression(), schedule.timeZone(), after),
                key -> CronSchedules.nextFire(schedule, after).map(ZonedDateTime::toInstant));
    }
}
