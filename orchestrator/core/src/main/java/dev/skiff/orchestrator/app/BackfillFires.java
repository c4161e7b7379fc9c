package dev.skiff.orchestrator.app;

import dev.skiff.jobs.CronSchedules;
import dev.skiff.jobs.Schedule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The fire times a backfill plans: its schedule's fires from {@code from} (included) to {@code to} (excluded), read in
 * the schedule's zone as the scheduler reads them (so across a DST change the same fires), and none after
 * {@code until} (the backfill's creation: later fires are the scheduler's). Pure.
 */
public final class BackfillFires {

    private static final int CHUNK = 256;

    private BackfillFires() {
    }

    /**
     * @param most the most fires wanted; one more is looked for, so a caller can tell "exactly most" from "more"
     * @return the fires in time order, at most {@code most + 1}
     */
    public static List<Instant> between(Schedule schedule, Instant from, Instant to, Instant until, int most) {
        Instant end = to.isAfter(until) ? until.plusNanos(1) : to;
        List<Instant> fires = new ArrayList<>();
        Instant cursor = from.minusNanos(1); // nextFires looks strictly after its instant: from itself is included
        while (fires.size() <= most) {
            List<Instant> next = CronSchedules.nextFires(schedule, cursor, CHUNK);
            for (Instant fire : next) {
                if (!fire.isBefore(end) || fires.size() > most) {
                    return List.copyOf(fires);
                }
                fires.add(fire);
            }
            if (next.size() < CHUNK) {
                break;
            }
            cursor = next.get(next.size() - 1);
        }
        return List.copyOf(fires);
    }
}
