package dev.skiff.orchestrator.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.jobs.RunEvents;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one line a notification shows people, per run event: what happened to which run, why, how long it took and what
 * it cost. Link-free (a chat shows it as is) and on one line (an error's line breaks become spaces).
 * <pre>
 * ✖ job etl run etl-1 FAILED: exit code 3 (NonZeroExit) after 12.3 s, 2 attempts, $0.04
 * ⏰ job etl run etl-1 missed its deadline 2026-12-05T03:00:00Z (fired 2026-12-05T01:00:00Z): still RUNNING
 * </pre>
 */
public final class NotificationText {

    /** The longest error or cause shown; a receiver reads the whole of it in the detail. */
    static final int MAX_REASON = 300;

    private NotificationText() {
    }

    public static String of(RunEvents.Kind kind, JsonNode detail) {
        String run = "job " + text(detail, RunEvents.JOB) + " run " + text(detail, RunEvents.RUN_ID);
        return switch (kind) {
            case STARTED -> "▶ " + run + " STARTED";
            case SUCCEEDED -> "✔ " + run + " SUCCEEDED" + facts(detail);
            case FAILED -> "✖ " + run + " FAILED" + reason(detail) + facts(detail);
            case TIMED_OUT -> "⏱ " + run + " TIMED OUT" + reason(detail) + facts(detail);
            case CANCELLED -> "⊘ " + run + " CANCELLED" + reason(detail) + facts(detail);
            case DEADLINE_MISSED -> "⏰ " + run + " missed its deadline " + text(detail, RunEvents.DEADLINE)
                    + " (fired " + text(detail, RunEvents.FIRE_TIME) + "): " + whereItIs(text(detail, RunEvents.STATUS))
                    + reason(detail);
        };
    }

    /** Where a run stood when its deadline passed. */
    private static String whereItIs(String status) {
        return switch (status) {
            case "NOT_STARTED" -> "never started";
            case "PENDING", "RUNNING", "RETRY_WAIT" -> "still " + status;
            default -> "ended " + status;
        };
    }

    /** {@code : error (cause)}, or nothing when the run has neither. */
    private static String reason(JsonNode detail) {
        String error = oneLine(detail.path(RunEvents.ERROR).asText(""));
        String cause = oneLine(detail.path(RunEvents.CAUSE).asText(""));
        if (error.isEmpty() && cause.isEmpty()) {
            return "";
        }
        return ": " + (error.isEmpty() ? cause : cause.isEmpty() || cause.equals(error) ? error : error + " (" + cause + ")");
    }

    /** {@code  after 12.3 s, 2 attempts, $0.04}: what is known of these. */
    private static String facts(JsonNode detail) {
        List<String> facts = new ArrayList<>();
        JsonNode seconds = detail.path(RunEvents.DURATION_SECONDS);
        String after = seconds.isNumber() ? " after " + duration(seconds.asDouble()) : "";
        int attempts = detail.path(RunEvents.ATTEMPTS).asInt(0);
        if (attempts > 1) {
            facts.add(attempts + " attempts");
        }
        JsonNode cost = detail.path(RunEvents.COST_USD);
        if (cost.isNumber()) {
            facts.add(dollars(cost.decimalValue()));
        }
        return after + (facts.isEmpty() ? "" : ", " + String.join(", ", facts));
    }

    static String duration(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long whole = Math.round(seconds);
        long hours = whole / 3600;
        long minutes = whole % 3600 / 60;
        long rest = whole % 60;
        return (hours > 0 ? hours + " h " : "") + minutes + " min " + rest + " s";
    }

    /** Cents, or four decimals for what costs less than a cent (a short Fargate task). */
    static String dollars(BigDecimal usd) {
        int scale = usd.signum() != 0 && usd.abs().compareTo(new BigDecimal("0.01")) < 0 ? 4 : 2;
        return "$" + usd.setScale(scale, RoundingMode.HALF_UP).toPlainString();
    }

    private static String text(JsonNode detail, String field) {
        return oneLine(detail.path(field).asText("?"));
    }

    private static String oneLine(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= MAX_REASON ? line : line.substring(0, MAX_REASON) + "…";
    }
}
