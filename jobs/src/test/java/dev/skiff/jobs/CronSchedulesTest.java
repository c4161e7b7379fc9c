package dev.skiff.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronSchedulesTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static Schedule schedule(String cron, ZoneId zone) {
        return new Schedule(cron, CronExpressions.detect(cron), zone, MisfirePolicy.LAST, 10, ConcurrencyPolicy.FORBID);
    }

    @Test
    void shouldFireEverySecondScheduleOnWholeSecondsWhenAskedAtAFractionOfASecond() {
        // Given a schedule firing every second, in Quartz's dialect, asked at a fraction of a second (a tick is late)
        var everySecond = schedule("* * * * * ?", ZoneId.of("UTC"));

        // When its next fires are computed
        var fires = CronSchedules.nextFires(everySecond, Instant.parse("2024-01-03T00:00:00.943Z"), 2);

        // Then they fall on whole seconds, as the expression names them, not a fraction past each
        assertThat(fires).containsExactly(Instant.parse("2024-01-03T00:00:01Z"), Instant.parse("2024-01-03T00:00:02Z"));
    }

    @Test
    void shouldFireOnMondaysWhenAwsDayOfWeekIsTwo() {
        // Given AWS cron, where day-of-week 1 is Sunday, so 2 is Monday
        var monday = schedule("cron(0 12 ? * 2 *)", ZoneId.of("UTC"));

        // When asked after a Wednesday
        var fires = CronSchedules.nextFires(monday, Instant.parse("2024-01-03T00:00:00Z"), 2);

        // Then both fires are Mondays at noon
        assertThat(fires).containsExactly(Instant.parse("2024-01-08T12:00:00Z"), Instant.parse("2024-01-15T12:00:00Z"));
        assertThat(fires).allSatisfy(f -> assertThat(f.atZone(ZoneId.of("UTC")).getDayOfWeek()).isEqualTo(DayOfWeek.MONDAY));
    }

    @Test
    void shouldFireOnMondaysWhenUnixDayOfWeekIsOne() {
        // Given Unix cron, where day-of-week 1 is Monday
        var fires = CronSchedules.nextFires(schedule("0 12 * * 1", ZoneId.of("UTC")), Instant.parse("2024-01-03T00:00:00Z"), 1);
        assertThat(fires).containsExactly(Instant.parse("2024-01-08T12:00:00Z"));
    }

    @Test
    void shouldReturnFireInScheduleZoneWhenAskedForNextFire() {
        // Given the nightly job's schedule
        var nightly = schedule("0 2 * * *", BERLIN);

        // When
        var next = CronSchedules.nextFire(nightly, Instant.parse("2024-06-01T10:00:00Z"));

        // Then it is 02:00 Berlin time
        assertThat(next).contains(ZonedDateTime.of(2024, 6, 2, 2, 0, 0, 0, BERLIN));
    }

    @Test
    void shouldShiftFireByGapWhenDailyTimeFallsInSpringForwardGap() {
        // Given 02:30 daily in New York; on 2024-03-10 clocks jump from 02:00 to 03:00
        var daily = schedule("30 2 * * *", NEW_YORK);

        // When
        var fires = CronSchedules.nextFires(daily, Instant.parse("2024-03-08T12:00:00Z"), 3);

        // Then the fire in the gap happens once, at 03:30 EDT; none is lost or doubled
        assertThat(fires).containsExactly(
                Instant.parse("2024-03-09T07:30:00Z"),  // 02:30 EST
                Instant.parse("2024-03-10T07:30:00Z"),  // 03:30 EDT
                Instant.parse("2024-03-11T06:30:00Z")); // 02:30 EDT
    }

    @Test
    void shouldFireOnceWhenDailyTimeOccursTwiceAtFallBack() {
        // Given 01:30 daily in New York; on 2024-11-03 01:00-02:00 happens twice
        var daily = schedule("30 1 * * *", NEW_YORK);

        // When
        var fires = CronSchedules.nextFires(daily, Instant.parse("2024-11-01T12:00:00Z"), 3);

        // Then 2024-11-03 fires once, at the first 01:30 (EDT)
        assertThat(fires).containsExactly(
                Instant.parse("2024-11-02T05:30:00Z"),  // 01:30 EDT
                Instant.parse("2024-11-03T05:30:00Z"),  // 01:30 EDT, not again at 01:30 EST
                Instant.parse("2024-11-04T06:30:00Z")); // 01:30 EST
    }

    @Test
    void shouldNotRefireWhenAskedDuringTheRepeatedHour() {
        // Given the 01:30 New York job already fired at 01:30 EDT; now it is 01:10 EST, the hour repeats
        var daily = schedule("30 1 * * *", NEW_YORK);

        // When
        var next = CronSchedules.nextFire(daily, Instant.parse("2024-11-03T06:10:00Z"));

        // Then the next fire is tomorrow
        assertThat(next).contains(ZonedDateTime.of(2024, 11, 4, 1, 30, 0, 0, NEW_YORK));
    }

    @Test
    void shouldFireNightlyJobOnceWhenBerlinSpringsForward() {
        // Given 02:00 daily in Berlin; on 2024-03-31 clocks jump from 02:00 to 03:00
        var nightly = schedule("0 2 * * *", BERLIN);

        // When
        var fires = CronSchedules.nextFires(nightly, Instant.parse("2024-03-29T12:00:00Z"), 3);

        // Then
        assertThat(fires).containsExactly(
                Instant.parse("2024-03-30T01:00:00Z"),  // 02:00 CET
                Instant.parse("2024-03-31T01:00:00Z"),  // 03:00 CEST
                Instant.parse("2024-04-01T00:00:00Z")); // 02:00 CEST
    }

    @Test
    void shouldFireOnceWhenBerlinFallsBack() {
        // Given 02:30 daily in Berlin; on 2024-10-27 02:00-03:00 happens twice
        var daily = schedule("30 2 * * *", BERLIN);

        // When
        var fires = CronSchedules.nextFires(daily, Instant.parse("2024-10-25T12:00:00Z"), 3);

        // Then
        assertThat(fires).containsExactly(
                Instant.parse("2024-10-26T00:30:00Z"),  // 02:30 CEST
                Instant.parse("2024-10-27T00:30:00Z"),  // 02:30 CEST only
                Instant.parse("2024-10-28T01:30:00Z")); // 02:30 CET
    }

    @Test
    void shouldFireEachWallTimeOnceWhenHourlyScheduleCrossesFallBack() {
        // Given an hourly job in Berlin; wall time 02:00 happens at 00:00Z and again at 01:00Z
        var hourly = schedule("0 * * * *", BERLIN);

        // When
        var fires = CronSchedules.nextFires(hourly, Instant.parse("2024-10-26T23:30:00Z"), 3);

        // Then schedules follow the wall clock: 02:00 fires once, then 03:00 CET
        assertThat(fires).containsExactly(
                Instant.parse("2024-10-27T00:00:00Z"),
                Instant.parse("2024-10-27T02:00:00Z"),
                Instant.parse("2024-10-27T03:00:00Z"));
    }

    @Test
    void shouldFindShiftedFireWhenAskedForLastFireAfterTheGap() {
        // Given the New York 02:30 job and 03:45 EDT on the spring-forward day
        var daily = schedule("30 2 * * *", NEW_YORK);

        // When / Then the last fire is the shifted 03:30 EDT, and just before it, the day before
        assertThat(CronSchedules.lastFireAtOrBefore(daily, Instant.parse("2024-03-10T07:45:00Z")))
                .contains(Instant.parse("2024-03-10T07:30:00Z"));
        assertThat(CronSchedules.lastFireAtOrBefore(daily, Instant.parse("2024-03-10T07:29:59Z")))
                .contains(Instant.parse("2024-03-09T07:30:00Z"));
    }

    @Test
    void shouldFindFirstOccurrenceWhenAskedForLastFireDuringTheRepeatedHour() {
        // Given the New York 01:30 job; 01:10 EST comes after the 01:30 EDT fire
        var daily = schedule("30 1 * * *", NEW_YORK);

        // When / Then
        assertThat(CronSchedules.lastFireAtOrBefore(daily, Instant.parse("2024-11-03T06:10:00Z")))
                .contains(Instant.parse("2024-11-03T05:30:00Z"));
    }

    @Test
    void shouldIncludeTheInstantWhenItIsAFire() {
        var daily = schedule("0 2 * * *", BERLIN);
        assertThat(CronSchedules.lastFireAtOrBefore(daily, Instant.parse("2024-06-02T00:00:00Z")))
                .contains(Instant.parse("2024-06-02T00:00:00Z"));
    }

    @Test
    void shouldGiveTheMinutesFireNotTheInstantWhenAMinuteScheduleIsAskedMidMinute() {
        // Given a schedule of every minute (no seconds field), asked 30 seconds into a minute
        // Then the last fire is the minute itself: two replicas asking a second apart name the same fire (and run)
        var everyMinute = schedule("* * * * *", ZoneId.of("UTC"));
        assertThat(CronSchedules.lastFireAtOrBefore(everyMinute, Instant.parse("2026-12-05T12:50:30Z")))
                .contains(Instant.parse("2026-12-05T12:50:00Z"));
        assertThat(CronSchedules.lastFireAtOrBefore(everyMinute, Instant.parse("2026-12-05T12:50:31.250Z")))
                .contains(Instant.parse("2026-12-05T12:50:00Z"));
        // and a Quartz schedule with seconds still fires on its seconds
        var everyTenSeconds = schedule("0/10 * * * * ?", ZoneId.of("UTC"));
        assertThat(CronSchedules.lastFireAtOrBefore(everyTenSeconds, Instant.parse("2026-12-05T12:50:35Z")))
                .contains(Instant.parse("2026-12-05T12:50:30Z"));
        assertThat(CronSchedules.lastFireAtOrBefore(everyTenSeconds, Instant.parse("2026-12-05T12:50:30Z")))
                .contains(Instant.parse("2026-12-05T12:50:30Z"));
    }

    @Test
    void shouldAgreeWithNextFireWhenWalkingAcrossTransitions() {
        // Given a half-hourly schedule over both New York transitions of 2024
        var halfHourly = schedule("0/30 * * * *", NEW_YORK);
        for (String start : new String[] {"2024-03-10T05:00:00Z", "2024-11-03T04:00:00Z"}) {
            var fires = CronSchedules.nextFires(halfHourly, Instant.parse(start), 12);

            // Then fires strictly increase and the last fire at each fire is that fire
            assertThat(fires).isSorted().doesNotHaveDuplicates();
            assertThat(fires).allSatisfy(f -> assertThat(CronSchedules.lastFireAtOrBefore(halfHourly, f)).contains(f));
        }
    }

    @Test
    void shouldReuseCompiledCronWhenExpressionRepeats() {
        assertThat(CronExpressions.compile("15 3 * * *")).isSameAs(CronExpressions.compile("15 3 * * *"));
    }

    @Test
    void shouldReturnNothingWhenScheduleHasNoFutureFire() {
        var past = schedule("0 0 2 ? * MON 2020", ZoneId.of("UTC"));
        assertThat(CronSchedules.nextFire(past, Instant.parse("2024-01-01T00:00:00Z"))).isEmpty();
        assertThat(CronSchedules.nextFires(past, Instant.parse("2024-01-01T00:00:00Z"), 5)).isEmpty();
    }
}
