package dev.skiff.orchestrator.port;

import dev.skiff.jobs.Schedule;

/**
 * Which cron schedules a person paused. A pause names the schedule as written (its expression and
 * time zone), so editing a schedule's cron expression ends its pause, and reordering a job's
 * schedules moves no pause onto another schedule. Kept where the engine keeps its state, so a pause
 * outlives a restart.
 */
public interface PausedSchedules {

    boolean isPaused(String job, Schedule schedule);

    /** @return false when it was paused already */
    boolean pause(String job, Schedule schedule);

    /** @return false when it was not paused */
    boolean resume(String job, Schedule schedule);

    /** The key a pause is stored under. */
    static String key(String job, Schedule schedule) {
        return job + "\n" + schedule.expression() + "\n" + schedule.timeZone().getId();
    }
}
