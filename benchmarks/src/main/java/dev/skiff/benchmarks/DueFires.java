package dev.skiff.benchmarks;

import java.text.ParseException;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * The fires due in a window, worked out with Quartz's {@link CronExpression} from each schedule's Quartz expression:
 * a cron implementation independent of Skiff's, so that a fire Skiff misses, runs twice or runs at an instant its
 * expression does not name shows as a difference. Each fire is {@code <job>@<epoch millis>}.
 */
final class DueFires {

    private final Set<String> due;

    private DueFires(Set<String> due) {
        this.due = due;
    }

    /** The fires in {@code (from, to]}. */
    static DueFires of(List<CronWorkload.CronDef> defs, Instant from, Instant to) {
        Set<String> due = new HashSet<>();
        Date end = Date.from(to);
        for (CronWorkload.CronDef def : defs) {
            CronExpression cron;
            try {
                cron = new CronExpression(def.quartz());
            } catch (ParseException e) {
                throw new IllegalArgumentException(def.quartz(), e);
            }
            cron.setTimeZone(TimeZone.getTimeZone(def.zone()));
            for (Date next = cron.getNextValidTimeAfter(Date.from(from)); next != null && !next.after(end);
                 next = cron.getNextValidTimeAfter(next)) {
                due.add(key(def.job(), next.toInstant()));
            }
        }
        return new DueFires(due);
    }

    static String key(String job, Instant fire) {
        return job + "@" + fire.toEpochMilli();
    }

    int size() {
        return due.size();
    }

    boolean isDue(String fire) {
        return due.contains(fire);
    }

    /** Of the distinct fires run, how many were due (the rest ran at an instant no expression names, or outside the window). */
    int dueAmong(Collection<String> ran) {
        return (int) ran.stream().filter(due::contains).count();
    }
}
