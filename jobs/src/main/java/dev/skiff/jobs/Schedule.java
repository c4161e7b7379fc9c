package dev.skiff.jobs;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;

/**
 * A cron trigger.
 *
 * @param expression   the cron expression as written: Unix 5-field, Quartz (6-7 fields) or AWS {@code cron(...)}
 * @param syntax       which of those it is
 * @param timeZone     IANA zone the expression is read in
 * @param misfire      what to do about fires missed while Skiff was down
 * @param maxMisfires  with MisfirePolicy.ALL, the most missed fires run after downtime
 * @param concurrency  what to do when a fire comes while a run of the job is active
 * @param deadline     how long after its fire time a fire's run must have SUCCEEDED; empty for none
 */
public record Schedule(
        String expression,
        CronSyntax syntax,
        ZoneId timeZone,
        MisfirePolicy misfire,
        int maxMisfires,
        ConcurrencyPolicy concurrency,
        Optional<Duration> deadline) {

    public Schedule {
        expression = SharedValues.text(expression); // many jobs run hourly, daily at midnight, ...
    }

    public Schedule(String expression, CronSyntax syntax, ZoneId timeZone, MisfirePolicy misfire, int maxMisfires,
                    ConcurrencyPolicy concurrency) {
        this(expression, syntax, timeZone, misfire, maxMisfires, concurrency, Optional.empty());
    }
}
