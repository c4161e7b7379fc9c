package dev.skiff.benchmarks;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The cron schedules both schedulers get: the same fires, written in each one's syntax. A third of
 * Skiff's schedules are Unix, a third Quartz (with a second field, which spreads those fires over
 * the minute) and a third AWS {@code cron(...)}, in eight time zones (one with a half-hour offset).
 */
final class CronWorkload {

    /** One schedule: its job, the expression Skiff reads, the same fires as a Quartz CronTrigger expression, and the zone. */
    record CronDef(String job, String skiff, String quartz, ZoneId zone) {
    }

    private static final List<ZoneId> ZONES = List.of("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata",
            "Australia/Sydney", "America/Los_Angeles", "Asia/Tokyo", "America/Sao_Paulo").stream().map(ZoneId::of).toList();

    /** The schedule sets, by name: the current one, and the same number of fires spread evenly over the seconds. */
    static final List<String> SETS = List.of("current", "spread");

    private CronWorkload() {
    }

    /** {@code count} schedules of the named set: up to 10,000 firing once a minute, above that once every ten minutes. */
    static List<CronDef> set(String name, int count) {
        boolean minute = count <= 10_000;
        return switch (name) {
            case "current" -> minute ? everyMinute(count) : everyTenMinutes(count);
            case "spread" -> minute ? spreadOverMinute(count) : spreadOverTenMinutes(count);
            default -> throw new IllegalArgumentException("no schedule set " + name + "; sets: " + SETS);
        };
    }

    /** {@code count} schedules firing once a minute, each at second {@code i % 60}: as many fires in every second. */
    static List<CronDef> spreadOverMinute(int count) {
        return IntStream.range(0, count).mapToObj(i -> def(i, (i % 60) + " * * * * ?", (i % 60) + " * * * * ?")).toList();
    }

    /** {@code count} schedules firing once every ten minutes, each in its own one of the 600 seconds of the ten minutes. */
    static List<CronDef> spreadOverTenMinutes(int count) {
        return IntStream.range(0, count).mapToObj(i -> {
            int slot = i % 600;
            String cron = (slot / 10) + " " + (slot % 10) + "/10 * * * ?";
            return def(i, cron, cron);
        }).toList();
    }

    /** {@code count} schedules firing once a minute. */
    static List<CronDef> everyMinute(int count) {
        List<CronDef> defs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int second = i % 60;
            defs.add(switch (i % 3) {
                case 0 -> def(i, "* * * * *", "0 * * * * ?");
                case 1 -> def(i, second + " * * * * ?", second + " * * * * ?");
                default -> def(i, "cron(* * * * ? *)", "0 * * * * ? *");
            });
        }
        return defs;
    }

    /** {@code count} schedules firing once every ten minutes, a tenth of them in each minute of the ten. */
    static List<CronDef> everyTenMinutes(int count) {
        List<CronDef> defs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int minute = i % 10;
            int second = (i / 10) % 60;
            String minutes = IntStream.range(0, 6).mapToObj(k -> String.valueOf(minute + 10 * k)).collect(Collectors.joining(","));
            defs.add(switch ((i / 10) % 3) {
                case 0 -> def(i, minutes + " * * * *", "0 " + minutes + " * * * ?");
                case 1 -> def(i, second + " " + minute + "/10 * * * ?", second + " " + minute + "/10 * * * ?");
                default -> def(i, "cron(" + minute + "/10 * * * ? *)", "0 " + minute + "/10 * * * ? *");
            });
        }
        return defs;
    }

    /** {@code count} schedules firing every second: only to warm both schedulers' code up before measuring. */
    static List<CronDef> everySecond(int count) {
        return IntStream.range(0, count).mapToObj(i -> def(i, "* * * * * ?", "* * * * * ?")).toList();
    }

    private static CronDef def(int i, String skiff, String quartz) {
        return new CronDef(String.format("cron-%06d", i), skiff, quartz, ZONES.get(i % ZONES.size()));
    }

    /** The spec of one schedule's job, as a team would write it. */
    static String spec(CronDef def) {
        return "name: " + def.job() + "\nowner: team-" + (def.job().hashCode() & 31)
                + "\nimage: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/report:1.4\ncommand: [\"sh\", \"-c\", \"make-report\"]\n"
                + "triggers:\n  schedules:\n    - cron: \"" + def.skiff() + "\"\n      timezone: " + def.zone().getId()
                + "\n      misfire: none\n      concurrency: allow\n";
    }
}
