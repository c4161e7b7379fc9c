package dev.skiff.orchestrator.app;

import dev.skiff.jobs.CronSchedules;
import dev.skiff.jobs.Schedule;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

/** Which fires missed during downtime to run now, by the schedule's misfire policy. Pure. */
final class MisfirePlanner {

    /** Stops the walk over a very long outage of a very frequent schedule (a minute schedule down for 70 days). */
    private static final int MAX_FIRES_WALKED = 100_000;
    private static final int CHUNK = 256;

    private MisfirePlanner() {
    }

    /**
     * @param lastFire the last fire that was acted on
     * @return the fires after {@code lastFire} and at or before {@code now} to run, oldest first
     */
    static List<Instant> missed(Schedule schedule, Instant lastFire, Instant now) {
        return switch (schedule.misfire()) {
            case NONE -> List.of();
            case LAST -> CronSchedules.lastFireAtOrBefore(schedule, now)
                    .filter(last -> last.isAfter(lastFire))
                    .map(List::of).orElse(List.of());
            case ALL -> allBounded(schedule, lastFire, now);
        };
    }

    /** The most recent {@code maxMisfires} fires: after a long outage the newest data matters most. */
    private static List<Instant> allBounded(Schedule schedule, Instant lastFire, Instant now) {
        var kept = new ArrayDeque<Instant>();
        Instant cursor = lastFire;
        int walked = 0;
        while (walked < MAX_FIRES_WALKED) {
            List<Instant> next = CronSchedules.nextFires(schedule, cursor, CHUNK);
            for (Instant fire : next) {
                if (fire.isAfter(now)) {
                    return List.copyOf(kept);
                }
                kept.addLast(fire);
                if (kept.size() > schedule.maxMisfires()) {
                    kept.removeFirst();
                }
            }
            if (next.isEmpty()) {
                break;
            }
            cursor = next.get(next.size() - 1);
            walked += next.size();
        }
        return List.copyOf(kept);
    }
}
