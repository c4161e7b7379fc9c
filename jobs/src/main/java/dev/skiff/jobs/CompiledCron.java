package dev.skiff.jobs;

import com.cronutils.model.time.ExecutionTime;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A parsed cron expression, evaluated on wall-clock time.
 *
 * <p>cron-utils loses fires that fall into a daylight-saving gap when it works in a zone with
 * transitions. So the expression is evaluated on local date-times (in UTC, which has none), and each
 * wall time is then placed in the schedule's zone the way java.time does:
 * <ul>
 *   <li>a wall time in a spring-forward gap fires once, shifted forward by the gap
 *       (a daily 02:30 in America/New_York fires at 03:30 EDT on that day);</li>
 *   <li>a wall time that occurs twice in a fall-back overlap fires once, at its first
 *       occurrence (01:30 EDT, not again at 01:30 EST).</li>
 * </ul>
 * Fires are returned strictly increasing, so no instant is ever fired twice.
 */
final class CompiledCron {

    // ZoneOffset's natural order is descending; compare plain seconds east of UTC instead.
    private static final Comparator<ZoneOffset> BY_SECONDS = Comparator.comparingInt(ZoneOffset::getTotalSeconds);

    private final CronSyntax syntax;
    private final ExecutionTime executionTime;

    CompiledCron(CronSyntax syntax, ExecutionTime executionTime) {
        this.syntax = syntax;
        this.executionTime = executionTime;
    }

    CronSyntax syntax() {
        return syntax;
    }

    /** Decided once per expression (compiled expressions are shared): cron-utils' search costs ~20 us a spec. */
    private volatile Boolean firesEver;

    /** Whether any date matches at all: 0 2 30 2 * (30 February) compiles, yet never fires. */
    boolean firesEver() {
        Boolean fires = firesEver;
        if (fires == null) {
            fires = next(ZoneOffset.UTC, Instant.EPOCH).isPresent();
            firesEver = fires;
        }
        return fires;
    }

    /** The first fire strictly after the instant. */
    Optional<Instant> next(ZoneId zone, Instant after) {
        // Any wall time before `after` read at the zone's lowest nearby offset resolves to <= after. Whole seconds:
        // cron-utils keeps the fraction of the time it is asked from, so an every-second schedule asked at .943 would
        // fire at .943 of each second after.
        ZonedDateTime wall = wallTime(after, lowestNearbyOffset(zone, after)).truncatedTo(ChronoUnit.SECONDS);
        while (true) {
            Optional<ZonedDateTime> candidate = executionTime.nextExecution(wall);
            if (candidate.isEmpty()) {
                return Optional.empty();
            }
            wall = candidate.get();
            Instant fire = resolve(wall, zone);
            if (fire.isAfter(after)) {
                return Optional.of(fire);
            }
        }
    }

    /** The last fire at or before the instant. */
    Optional<Instant> lastAtOrBefore(ZoneId zone, Instant at) {
        // Any wall time after `at` read at the zone's highest nearby offset resolves to > at.
        ZonedDateTime wall = wallTime(at, highestNearbyOffset(zone, at)).truncatedTo(ChronoUnit.SECONDS);
        if (isFire(wall) && !resolve(wall, zone).isAfter(at)) {
            return Optional.of(resolve(wall, zone));
        }
        while (true) {
            Optional<ZonedDateTime> candidate = executionTime.lastExecution(wall);
            if (candidate.isEmpty()) {
                return Optional.empty();
            }
            wall = candidate.get();
            Instant fire = resolve(wall, zone);
            if (!fire.isAfter(at)) {
                return Optional.of(fire);
            }
        }
    }

    /**
     * True when a fire falls on exactly this wall time. cron-utils' isMatch ignores the seconds of an expression
     * without a seconds field, so 12:50:30 would "match" every minute; the fire after the second before is exact.
     */
    private boolean isFire(ZonedDateTime wall) {
        return executionTime.nextExecution(wall.minusSeconds(1)).filter(wall::isEqual).isPresent();
    }

    private static ZonedDateTime wallTime(Instant instant, ZoneOffset offset) {
        return LocalDateTime.ofInstant(instant, offset).atZone(ZoneOffset.UTC);
    }

    private static Instant resolve(ZonedDateTime wall, ZoneId zone) {
        return ZonedDateTime.ofLocal(wall.toLocalDateTime(), zone, null).toInstant();
    }

    private static ZoneOffset lowestNearbyOffset(ZoneId zone, Instant instant) {
        return nearbyOffsets(zone, instant).min(BY_SECONDS).orElseThrow();
    }

    private static ZoneOffset highestNearbyOffset(ZoneId zone, Instant instant) {
        return nearbyOffsets(zone, instant).max(BY_SECONDS).orElseThrow();
    }

    /** Transitions are months apart and shift by hours, so a day either side covers every case. */
    private static Stream<ZoneOffset> nearbyOffsets(ZoneId zone, Instant instant) {
        var rules = zone.getRules();
        return Stream.of(instant.minus(1, ChronoUnit.DAYS), instant, instant.plus(1, ChronoUnit.DAYS)).map(rules::getOffset);
    }
}
