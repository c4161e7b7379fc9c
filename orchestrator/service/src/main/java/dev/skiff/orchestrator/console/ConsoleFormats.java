package dev.skiff.orchestrator.console;

import io.quarkus.qute.TemplateExtension;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the console's templates write times, money and durations. */
@TemplateExtension(namespace = "fmt")
public final class ConsoleFormats {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private ConsoleFormats() {
    }

    /** {@code 2026-12-06 09:30:00 UTC}. */
    static String utc(Instant instant) {
        return instant == null ? "—" : TIME.format(instant);
    }

    /** The ISO form, for {@code <time datetime>}. */
    static String iso(Instant instant) {
        return instant == null ? "" : instant.toString();
    }

    /** {@code $1.2345}; a dash when unknown (the local process launcher prices nothing). */
    static String usd(BigDecimal dollars) {
        return dollars == null ? "—" : "$" + dollars.setScale(4, RoundingMode.HALF_UP).toPlainString();
    }

    /** One attempt in a line: {@code #1 spot, exit 0 (succeeded)}. */
    static String attempt(dev.skiff.orchestrator.api.RunView.AttemptView a) {
        return "#" + a.number() + " " + (a.ranOn() == null ? "not started" : a.ranOn())
                + (a.exitCode() == null ? "" : ", exit " + a.exitCode()) + " (" + a.outcome() + ")";
    }

    /** A fraction 0..1 as {@code 80.0 %}. */
    static String percent(BigDecimal fraction) {
        return fraction == null ? "—" : fraction.movePointRight(2).setScale(1, RoundingMode.HALF_UP).toPlainString() + " %";
    }

    /** {@code 12.3 s}. */
    static String seconds(Double seconds) {
        return seconds == null ? "—" : String.format(java.util.Locale.ROOT, "%.1f s", seconds);
    }

    /** A run status as a CSS class: {@code status-succeeded}. */
    static String statusClass(String status) {
        return "status-" + (status == null ? "unknown" : status.toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    }
}
