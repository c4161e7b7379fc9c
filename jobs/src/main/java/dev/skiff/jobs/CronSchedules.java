package dev.skiff.jobs;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When a schedule fires. Expressions are read in the schedule's time zone on wall-clock time:
 * <ul>
 *   <li>spring forward: a wall time inside the gap fires once, shifted forward by the gap length
 *       (a daily 02:30 in America/New_York fires at 03:30 EDT on 10 March 2024);</li>
 *   <li>fall back: a wall time that occurs twice fires once, at its first occurrence
 *       (a daily 01:30 in America/New_York fires at 01:30 EDT on 3 November 2024, not at 01:30 EST).</li>
 * </ul>
 * Parsed expressions are cached, so calling these often costs no parsing.
 */
public final class CronSchedules {

    private CronSchedules() {
    }

    /** The first fire strictly after {@code after}, in the schedule's zone; empty when none is left (AWS years end at 2199). */
    public static Optional<ZonedDateTime> nextFire(Schedule schedule, Instant after) {
        return compiled(schedule).next(schedule.timeZone(), after).map(i -> i.atZone(schedule.timeZone()));
    }

    /** Up to n fires strictly after {@code after}, in order. */
    public static List<Instant> nextFires(Schedule schedule, Instant after, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative, was " + n);
        }
        CompiledCron cron = compiled(schedule);
        List<Instant> fires = new ArrayList<>(n);
        Instant cursor = after;
        while (fires.size() < n) {
            Optional<Instant> next = cron.next(schedule.timeZone(), cursor);
            if (next.isEmpty()) {
                break;
            }
            fires.add(next.get());
            cursor = next.get();
        }
        return List.copyOf(fires);
    }

    /** The latest fire at or before {@code at}: what misfire handling compares with the last run. */
    public static Optional<Instant> lastFireAtOrBefore(Schedule schedule, Instant at) {
        return compiled(schedule).lastAtOrBefore(schedule.timeZone(), at);
    }

    private static CompiledCron compiled(Schedule schedule) {
        CompiledCron cron = CronExpressions.compile(schedule.expression());
        if (cron.syntax() != schedule.syntax()) {
            throw new IllegalArgumentException("schedule " + schedule.expression() + " is " + cron.syntax() + " syntax, not " + schedule.syntax());
        }
        return cron;
    }
}
