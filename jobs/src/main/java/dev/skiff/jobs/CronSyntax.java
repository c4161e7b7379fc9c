package dev.skiff.jobs;

/** The cron dialects a schedule may be written in. */
public enum CronSyntax {
    /** minute hour day-of-month month day-of-week */
    UNIX,
    /** second minute hour day-of-month month day-of-week [year] */
    QUARTZ,
    /** cron(minute hour day-of-month month day-of-week year), day-of-week 1 = Sunday */
    AWS
}
