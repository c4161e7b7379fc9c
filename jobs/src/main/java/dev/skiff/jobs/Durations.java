package dev.skiff.jobs;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads spec durations: {@code 90s}, {@code 30m}, {@code 1h30m}, {@code 1d}, or ISO-8601 {@code PT2H}. */
final class Durations {

    private static final Pattern SHORT = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    static final String SYNTAX = "must be a duration like 90s, 30m, 1h30m or PT2H";

    private Durations() {
    }

    static Optional<Duration> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return text.startsWith("P") ? Optional.of(Duration.parse(text)) : parseShort(text);
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The shortest spelling in the spec's own syntax, e.g. {@code 1h30m}; used in messages. */
    static String format(Duration duration) {
        var text = new StringBuilder();
        long seconds = duration.getSeconds();
        long[] sizes = {86_400, 3_600, 60, 1};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (seconds >= sizes[i]) {
                text.append(seconds / sizes[i]).append(units[i]);
                seconds %= sizes[i];
            }
        }
        return text.length() == 0 ? "0s" : text.toString();
    }

    private static Optional<Duration> parseShort(String text) {
        Matcher m = SHORT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        Duration total = Duration.ZERO
                .plus(Duration.ofDays(group(m, 1)))
                .plus(Duration.ofHours(group(m, 2)))
                .plus(Duration.ofMinutes(group(m, 3)))
                .plus(Duration.ofSeconds(group(m, 4)));
        return Optional.of(total);
    }

    private static long group(Matcher m, int group) {
        return m.group(group) == null ? 0 : Long.parseLong(m.group(group));
    }
}
