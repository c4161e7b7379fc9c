package dev.skiff.orchestrator.app;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The bounds of a backfill as people write them: a date ({@code 2026-11-01}, midnight in the schedule's zone, which is
 * what "the fires of November" means to whoever wrote the schedule), a local date-time (in that zone too), or an
 * instant with its offset ({@code 2026-11-01T00:00:00Z}).
 */
final class BackfillTimes {

    private BackfillTimes() {
    }

    /** @return empty when the text is none of those */
    static Optional<Instant> parse(String text, ZoneId zone) {
        String trimmed = text.trim();
        try {
            return Optional.of(LocalDate.parse(trimmed).atStartOfDay(zone).toInstant());
        } catch (DateTimeException notADate) {
            // try the next form
        }
        try {
            return Optional.of(OffsetDateTime.parse(trimmed).toInstant());
        } catch (DateTimeException notAnInstant) {
            // try the next form
        }
        try {
            return Optional.of(LocalDateTime.parse(trimmed).atZone(zone).toInstant());
        } catch (DateTimeException notALocalTime) {
            return Optional.empty();
        }
    }
}
