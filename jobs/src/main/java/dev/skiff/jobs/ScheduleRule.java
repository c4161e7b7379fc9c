package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/** Cron expressions must compile with cron-utils; time zones must be IANA region ids. */
final class ScheduleRule implements SpecRule {

    @Override
    public void check(JsonNode root, Violations out) {
        List<JsonNode> schedules = SpecNodes.items(root.path("triggers").path("schedules"));
        for (int i = 0; i < schedules.size(); i++) {
            String at = SpecPaths.item("triggers.schedules", i);
            JsonNode cron = schedules.get(i).path("cron");
            if (cron.isTextual()) {
                checkCron(SpecPaths.field(at, "cron"), cron, out);
            }
            JsonNode zone = schedules.get(i).path("timezone");
            if (zone.isTextual() && !isIanaZone(zone.textValue())) {
                out.semantic(SpecPaths.field(at, "timezone"), zone, "is not an IANA time zone (like Europe/Berlin or UTC)");
            }
        }
    }

    private static void checkCron(String path, JsonNode cron, Violations out) {
        String expression = cron.textValue();
        try {
            // An expression such as 0 2 30 2 * (30 February) compiles but would never start the job.
            if (CronExpressions.compile(expression).next(ZoneOffset.UTC, Instant.EPOCH).isEmpty()) {
                out.semantic(path, cron, "never fires: no date matches it");
            }
        } catch (IllegalArgumentException e) {
            out.semantic(path, cron, "is not a valid " + dialect(CronExpressions.detect(expression))
                    + " cron expression: " + e.getMessage());
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
