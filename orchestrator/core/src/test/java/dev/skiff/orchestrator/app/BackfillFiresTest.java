package dev.skiff.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.Schedule;
import dev.skiff.orchestrator.TestSpecs;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The fires a backfill plans: read in the schedule's zone, from included, to excluded, none after its creation. */
class BackfillFiresTest {

    private static final Instant LATER = Instant.parse("2030-01-01T00:00:00Z");

    private static Schedule daily(String cron, String zone) {
        JobSpec job = TestSpecs.shell("daily", "true", """
                triggers:
                  schedules:
                    - cron: "%s"
                      timezone: %s""".formatted(cron, zone));
        return job.triggers().schedules().get(0);
    }

    @Test
    void shouldPlanOneFirePerDayAcrossTheSpringForwardWhenTheWallTimeFallsInTheGap() {
        // Given a daily 02:30 in New York, whose 10 March 2024 falls in the DST gap
        Schedule schedule = daily("30 2 * * *", "America/New_York");

        // When the fires from 8 to 12 March are planned
        var fires = BackfillFires.between(schedule, Instant.parse("2024-03-08T05:00:00Z"),
                Instant.parse("2024-03-12T04:00:00Z"), LATER, 1000);

        // Then each day fires once; 10 March at 03:30 EDT (shifted by the gap), as the scheduler fires it
        assertThat(fires).containsExactly(
                Instant.parse("2024-03-08T07:30:00Z"), Instant.parse("2024-03-09T07:30:00Z"),
                Instant.parse("2024-03-10T07:30:00Z"), Instant.parse("2024-03-11T06:30:00Z"));
    }

    @Test
    void shouldPlanTheRepeatedWallTimeOnceWhenTheClocksFallBack() {
        // Given a daily 01:30 in New York; on 3 November 2024 01:30 happens twice
        Schedule schedule = daily("30 1 * * *", "America/New_York");

        // When the fires of 2 to 4 November are planned
        var fires = BackfillFires.between(schedule, Instant.parse("2024-11-02T04:00:00Z"),
                Instant.parse("2024-11-05T05:00:00Z"), LATER, 1000);

        // Then 3 November fires once, at its first 01:30 (EDT)
        assertThat(fires).containsExactly(Instant.parse("2024-11-02T05:30:00Z"), Instant.parse("2024-11-03T05:30:00Z"),
                Instant.parse("2024-11-04T06:30:00Z"));
    }

    @Test
    void shouldIncludeAFireAtFromAndExcludeAFireAtTo() {
        // Given a daily midnight in UTC
        Schedule schedule = daily("0 0 * * *", "UTC");

        // When November is planned, from its first midnight to December's first
        var fires = BackfillFires.between(schedule, Instant.parse("2026-11-01T00:00:00Z"),
                Instant.parse("2026-12-01T00:00:00Z"), LATER, 1000);

        // Then the 30 midnights of November, 1 November included, 1 December not
        assertThat(fires).hasSize(30).startsWith(Instant.parse("2026-11-01T00:00:00Z"))
                .endsWith(Instant.parse("2026-11-30T00:00:00Z"));
    }

    @Test
    void shouldPlanNoFireAfterUntilWhenTheRangeReachesIntoTheFuture() {
        // Given a daily midnight and a backfill created on 10 November at noon
        Schedule schedule = daily("0 0 * * *", "UTC");

        // When November is planned
        var fires = BackfillFires.between(schedule, Instant.parse("2026-11-01T00:00:00Z"),
                Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2026-11-10T12:00:00Z"), 1000);

        // Then the fires up to 10 November only: later ones are the scheduler's
        assertThat(fires).hasSize(10).endsWith(Instant.parse("2026-11-10T00:00:00Z"));
    }

    @Test
    void shouldStopOnePastTheMostWhenTheRangeHoldsMore() {
        // Given a schedule firing every minute
        Schedule schedule = daily("* * * * *", "UTC");

        // When a year of it is planned with at most 1000 fires
        var fires = BackfillFires.between(schedule, Instant.parse("2025-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:00:00Z"), LATER, 1000);

        // Then the planning stops at 1001, enough to tell that there are more
        assertThat(fires).hasSize(1001);
    }
}
