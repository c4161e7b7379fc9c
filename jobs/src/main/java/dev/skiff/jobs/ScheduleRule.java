package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZoneId;
import java.util.List;

/**
 * Cron expressions must compile with cron-utils; time zones must be IANA region ids; catching up
 * every missed fire needs runs that may overlap.
 */
final class ScheduleRule implements SpecRule {

    @Override
    public void check(JsonNode root, Violations out) {
        List<JsonNode> schedules = SpecNodes.items(root.path("triggers").path("schedules"));
        for (int i = 0; i < schedules.size(); i++) {
            // The path is written only for a problem: nearly every schedule has none.
            JsonNode cron = schedules.get(i).path("cron");
            if (cron.isTextual()) {
                checkCron(i, cron, out);
            }
            checkMisfireFitsConcurrency(i, schedules.get(i), out);
            JsonNode zone = schedules.get(i).path("timezone");
            if (zone.isTextual() && !isIanaZone(zone.textValue())) {
                out.semantic(path(i, "timezone"), zone, "is not an IANA time zone (like Europe/Berlin or UTC)");
            }
        }
    }

    private static String path(int schedule, String field) {
        return SpecPaths.field(SpecPaths.item("triggers.schedules", schedule), field);
    }

    private static void checkCron(int schedule, JsonNode cron, Violations out) {
        String expression = cron.textValue();
        try {
            // An expression such as 0 2 30 2 * (30 February) compiles but would never start the job.
            if (!CronExpressions.compile(expression).firesEver()) {
                out.semantic(path(schedule, "cron"), cron, "never fires: no date matches it");
            }
        } catch (IllegalArgumentException e) {
            out.semantic(path(schedule, "cron"), cron, "is not a valid " + dialect(CronExpressions.detect(expression))
                    + " cron expression: " + e.getMessage());
        }
    }

    /**
     * With {@code misfire: all}, the missed fires start together after downtime: {@code forbid} would
     * skip all but the first and {@code replace} would cancel each by the next, so only {@code allow}
     * keeps the promise of running every missed fire.
     */
    private static void checkMisfireFitsConcurrency(int index, JsonNode schedule, Violations out) {
        JsonNode misfire = schedule.path("misfire");
        JsonNode concurrency = schedule.path("concurrency");
        String effectiveConcurrency = concurrency.isTextual() ? concurrency.textValue()
                : ConcurrencyPolicy.FORBID.specName();
        if (misfire.isTextual() && misfire.textValue().equals(MisfirePolicy.ALL.specName())
                && !effectiveConcurrency.equals(ConcurrencyPolicy.ALLOW.specName())) {
            out.semantic(path(index, "misfire"), misfire, "needs concurrency: allow (concurrency is "
                    + effectiveConcurrency + ", which would skip or cancel the missed fires it starts together)");
        }
    }

    private static String dialect(CronSyntax syntax) {
        return switch (syntax) {
            case UNIX -> "Unix";
            case QUARTZ -> "Quartz";
            case AWS -> "AWS";
        };
    }

    /** Offsets such as +02:00 are refused: a fixed offset silently ignores daylight saving. */
    static boolean isIanaZone(String id) {
        return ZoneId.getAvailableZoneIds().contains(id);
    }
}
