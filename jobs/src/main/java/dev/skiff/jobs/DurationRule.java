package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Durations must parse, be whole seconds (ASL counts seconds) and lie in range; a backoff
 * interval above its maxDelay would make the cap meaningless.
 */
final class DurationRule implements SpecRule {

    static final Duration MIN = Duration.ofSeconds(1);
    static final Duration MAX_TIMEOUT = Duration.ofDays(7);
    static final Duration MAX_DELAY = Duration.ofDays(1);
    static final Duration MAX_DEADLINE = Duration.ofDays(7);

    @Override
    public void check(JsonNode root, Violations out) {
        check(root.path("timeout"), "timeout", MAX_TIMEOUT, out);
        JsonNode backoff = root.path("retries").path("backoff");
        var interval = check(backoff.path("interval"), "retries.backoff.interval", MAX_DELAY, out);
        var maxDelay = check(backoff.path("maxDelay"), "retries.backoff.maxDelay", MAX_DELAY, out);
        Duration cap = maxDelay.orElse(SpecDefaults.MAX_DELAY);
        List<JsonNode> schedules = SpecNodes.items(root.path("triggers").path("schedules"));
        for (int i = 0; i < schedules.size(); i++) {
            check(schedules.get(i).path("deadline"), SpecPaths.field(SpecPaths.item("triggers.schedules", i), "deadline"),
                    MAX_DEADLINE, out);
        }
        interval.filter(i -> i.compareTo(cap) > 0).ifPresent(i -> out.semantic("retries.backoff.interval",
                backoff.path("interval"), "must not exceed retries.backoff.maxDelay (" + Durations.format(cap) + ")"));
    }

    /** The duration when the field is present and valid. */
    static Optional<Duration> check(JsonNode node, String path, Duration max, Violations out) {
        if (!node.isTextual()) {
            return Optional.empty();
        }
        Optional<Duration> parsed = Durations.parse(node.textValue());
        if (parsed.isEmpty()) {
            out.semantic(path, node, Durations.SYNTAX);
            return Optional.empty();
        }
        Duration d = parsed.get();
        if (d.getNano() != 0) {
            out.semantic(path, node, "must be a whole number of seconds");
        } else if (d.compareTo(MIN) < 0 || d.compareTo(max) > 0) {
            out.semantic(path, node, "must be between " + Durations.format(MIN) + " and " + Durations.format(max));
        } else {
            return parsed;
        }
        return Optional.empty();
    }
}
