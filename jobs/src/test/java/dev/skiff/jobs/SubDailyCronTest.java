package dev.skiff.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The bit-set search for expressions that fire on the same seconds every day gives exactly cron-utils' fires, in every
 * dialect, across daylight-saving transitions, for instants on and between fires.
 */
class SubDailyCronTest {

    private static final List<ZoneId> ZONES = List.of("UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata",
            "Australia/Lord_Howe", "Pacific/Chatham", "America/Sao_Paulo").stream().map(ZoneId::of).toList();
    /** Around the 2024 transitions of New York, Berlin and Lord Howe, and a plain day; the year's end too. */
    private static final List<Instant> AROUND = List.of("2024-03-10T06:30:00Z", "2024-11-03T05:30:00Z",
            "2024-03-31T00:30:00Z", "2024-10-27T00:30:00Z", "2024-04-06T14:30:00Z", "2024-10-05T15:30:00Z",
            "2024-06-12T12:00:00Z", "2024-12-31T23:00:00Z").stream().map(Instant::parse).toList();

    @Test
    void shouldTakeOnlyExpressionsWhoseDaysAreUnrestricted() {
        assertThat(searchOf("15 * * * * ?")).isPresent();
        assertThat(searchOf("0/10 8-18 * * *")).isPresent();
        assertThat(searchOf("cron(5/10 * * * ? *)")).isPresent();
        assertThat(searchOf("0 0 12 ? * MON-FRI")).isEmpty();
        assertThat(searchOf("0 2 * * 1")).isEmpty();
        assertThat(searchOf("0 2 1 * *")).isEmpty();
        assertThat(searchOf("cron(0 8 * * ? 2030)")).isEmpty();
        assertThat(searchOf("0 15 10 L * ?")).isEmpty();
    }

    @Test
    void shouldFireExactlyWhenCronUtilsFiresForEveryFormOfTheTimeFields() {
        Random random = new Random(16);
        List<String> expressions = new ArrayList<>(List.of("* * * * * ?", "0 * * * * ?", "59 59 23 * * ?", "5/10 * * * * ?",
                "0 0/10 * * * ?", "10-50/15 * * * * ?", "0,30 15,45 1-3 * * ?", "30 2 * * *", "*/7 */5 * * *",
                "0 0 * * *", "cron(* * * * ? *)", "cron(0/10 * * * ? *)", "cron(30 2 * * ? *)", "0 30 2 ? * *"));
        for (int i = 0; i < 150; i++) {
            expressions.add(randomExpression(random));
        }
        for (String expression : expressions) {
            CompiledCron fast = CronExpressions.compile(expression);
            CompiledCron cronUtils = fast.withoutSubDailySearch();
            assertThat(searchOf(expression)).as(expression).isPresent();
            for (ZoneId zone : ZONES) {
                for (Instant around : AROUND) {
                    Instant after = around.plusMillis(random.nextInt(7_200_000) - 3_600_000);
                    for (int n = 0; n < 40; n++) {
                        // Fires are whole seconds; cron-utils keeps the millis of `after` for an every-second expression
                        Optional<Instant> expected = cronUtils.next(zone, after.truncatedTo(ChronoUnit.SECONDS));
                        assertThat(fast.next(zone, after)).as("%s in %s after %s", expression, zone, after).isEqualTo(expected);
                        if (expected.isEmpty()) {
                            break;
                        }
                        // on a fire, just before it, and between fires
                        after = switch (n % 3) {
                            case 0 -> expected.get();
                            case 1 -> expected.get().minusMillis(1);
                            default -> expected.get().plusMillis(random.nextInt(90_000));
                        };
                    }
                }
            }
        }
    }

    @Test
    void shouldFireAnEverySecondScheduleOnWholeSecondsWhenAskedBetweenThem() {
        CompiledCron everySecond = CronExpressions.compile("* * * * * ?");

        assertThat(everySecond.next(ZoneId.of("UTC"), Instant.parse("2026-03-10T10:00:00.943Z")))
                .contains(Instant.parse("2026-03-10T10:00:01Z"));
    }

    @Test
    void shouldLeaveFiresAfter2099ToCronUtilsWhereTheYearFieldsEnd() {
        Instant late = Instant.parse("2099-12-31T23:59:30Z");
        for (String expression : List.of("0 * * * * ?", "cron(* * * * ? *)", "* * * * *")) {
            CompiledCron fast = CronExpressions.compile(expression);
            assertThat(fast.next(ZoneId.of("UTC"), late)).as(expression)
                    .isEqualTo(fast.withoutSubDailySearch().next(ZoneId.of("UTC"), late));
        }
    }

    private static Optional<SubDailyCron> searchOf(String expression) {
        CronSyntax syntax = CronExpressions.detect(expression);
        String body = syntax == CronSyntax.AWS ? expression.substring(5, expression.length() - 1) : expression;
        return SubDailyCron.of(CronDefinitions.parser(syntax).parse(body));
    }

    /** Seconds, minutes and hours from numbers, ranges, steps and lists, in one of the three dialects. */
    private static String randomExpression(Random random) {
        String minute = field(random, 59);
        String hour = field(random, 23);
        return switch (random.nextInt(4)) {
            case 0 -> minute + " " + hour + " * * *";
            case 1 -> field(random, 59) + " " + minute + " " + hour + " * * ?";
            case 2 -> field(random, 59) + " " + minute + " " + hour + " ? * *";
            default -> "cron(" + minute + " " + hour + " * * ? *)";
        };
    }

    private static String field(Random random, int max) {
        int a = random.nextInt(max + 1);
        int b = a + random.nextInt(max - a + 1);
        int step = 1 + random.nextInt(max / 2 + 1);
        return switch (random.nextInt(7)) {
            case 0 -> "*";
            case 1 -> String.valueOf(a);
            case 2 -> a + "-" + b;
            case 3 -> "*/" + step;
            case 4 -> a + "/" + step;
            case 5 -> a + "-" + b + "/" + step;
            default -> a + "," + b + (b < max ? "," + (b + 1) : "");
        };
    }
}
