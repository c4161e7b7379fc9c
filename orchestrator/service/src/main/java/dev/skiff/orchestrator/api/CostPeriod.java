package dev.skiff.orchestrator.api;

import dev.skiff.orchestrator.domain.MalformedRequestException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The period a cost report covers, {@code [since, until)}, from the query: {@code until} an ISO-8601 instant (default
 * now), {@code since} an instant or a duration back from {@code until} such as {@code 7d}, {@code 24h} or {@code 90m}
 * (default 30 days). At most {@value #MAX_DAYS} days, so one request cannot ask for every run there ever was.
 */
record CostPeriod(Instant since, Instant until) {

    static final Duration DEFAULT_LENGTH = Duration.ofDays(30);
    static final int MAX_DAYS = 400;
    private static final Pattern BACK = Pattern.compile("(?:(\\d{1,6})d)?(?:(\\d{1,7})h)?(?:(\\d{1,9})m)?");
    private static final String INSTANT_RULE = "an ISO-8601 instant such as 2026-11-06T00:00:00Z";

    /** @throws MalformedRequestException naming the parameter, its value and the rule (a 400 problem) */
    static CostPeriod of(String sinceText, String untilText, Instant now) {
        Instant until = blank(untilText) ? now : instant(untilText).orElseThrow(() -> new MalformedRequestException(
                "until: " + untilText + " must be " + INSTANT_RULE));
        Instant since = blank(sinceText) ? until.minus(DEFAULT_LENGTH) : instant(sinceText)
                .or(() -> back(sinceText).map(until::minus))
                .orElseThrow(() -> new MalformedRequestException("since: " + sinceText + " must be " + INSTANT_RULE
                        + ", or a duration back from until such as 7d, 24h or 90m"));
        if (since.isAfter(until)) {
            throw new MalformedRequestException("since: " + since + " is after until " + until
                    + ": the period must start before it ends");
        }
        if (Duration.between(since, until).compareTo(Duration.ofDays(MAX_DAYS)) > 0) {
            throw new MalformedRequestException("since: " + since + " is more than " + MAX_DAYS + " days before until "
                    + until + ": a cost report covers at most " + MAX_DAYS + " days");
        }
        return new CostPeriod(since, until);
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static Optional<Instant> instant(String text) {
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException notUtc) {
            try {
                return Optional.of(OffsetDateTime.parse(text).toInstant());
            } catch (DateTimeParseException notInstant) {
                return Optional.empty();
            }
        }
    }

    /** {@code 7d}, {@code 24h}, {@code 90m}, {@code 1d12h}: days, hours and minutes, at least one. */
    private static Optional<Duration> back(String text) {
        Matcher m = BACK.matcher(text);
        if (text.isEmpty() || !m.matches()) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofDays(number(m, 1)).plusHours(number(m, 2)).plusMinutes(number(m, 3)));
    }

    private static long number(Matcher m, int group) {
        return m.group(group) == null ? 0 : Long.parseLong(m.group(group));
    }
}
