package dev.skiff.orchestrator.console;

import dev.skiff.orchestrator.domain.MalformedRequestException;
import dev.skiff.workflows.Run;
import dev.skiff.workflows.RunStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The filters of the console's runs page, read from its query: job, status, trigger, and a time window on when the
 * run was created (UTC, as a browser's date-time field sends it, or an ISO-8601 instant). Each bad value is a 400
 * naming the field, the value and what it may be.
 */
public record RunFilter(String job, String status, String trigger, String since, String until) {

    public static final List<String> TRIGGERS = List.of("api", "cron", "event");
    private static final int MAX_FIELD = 200;

    public static RunFilter of(String job, String status, String trigger, String since, String until) {
        var filter = new RunFilter(trim(job), trim(status).toUpperCase(Locale.ROOT), trim(trigger).toLowerCase(Locale.ROOT),
                trim(since), trim(until));
        filter.statuses();
        filter.sinceInstant();
        filter.untilInstant();
        if (!filter.trigger.isEmpty() && !TRIGGERS.contains(filter.trigger)) {
            throw new MalformedRequestException("trigger: " + filter.trigger + " is not a trigger (one of "
                    + String.join(", ", TRIGGERS) + ")");
        }
        return filter;
    }

    public static List<String> statusNames() {
        return Arrays.stream(RunStatus.values()).map(Enum::name).toList();
    }

    public Optional<RunStatus> statuses() {
        if (status.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(RunStatus.valueOf(status));
        } catch (IllegalArgumentException e) {
            throw new MalformedRequestException("status: " + status + " is not a run status (one of "
                    + String.join(", ", statusNames()) + ")");
        }
    }

    public Optional<Instant> sinceInstant() {
        return instant("since", since);
    }

    public Optional<Instant> untilInstant() {
        return instant("until", until);
    }

    public boolean admits(Run run) {
        return sinceInstant().map(s -> !run.createdAt().isBefore(s)).orElse(true)
                && untilInstant().map(u -> run.createdAt().isBefore(u)).orElse(true);
    }

    /** The same filters as a query string, for the live fragment that refreshes the table. */
    public String query() {
        return Stream.of(pair("job", job), pair("status", status), pair("trigger", trigger), pair("since", since),
                        pair("until", until))
                .flatMap(Optional::stream).collect(Collectors.joining("&"));
    }

    private static Optional<String> pair(String name, String value) {
        return value.isEmpty() ? Optional.empty()
                : Optional.of(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    private static Optional<Instant> instant(String field, String text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException notAnInstant) {
            try {
                return Optional.of(LocalDateTime.parse(text).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e) {
                throw new MalformedRequestException(field + ": " + text + " is not a time (a date and time in UTC like"
                        + " 2026-12-06T09:30, or an instant like 2026-12-06T09:30:00Z)");
            }
        }
    }

    private static String trim(String text) {
        if (text == null) {
            return "";
        }
        if (text.length() > MAX_FIELD) {
            throw new MalformedRequestException("a filter is " + text.length() + " characters long; the limit is "
                    + MAX_FIELD);
        }
        return text.trim();
    }
}
