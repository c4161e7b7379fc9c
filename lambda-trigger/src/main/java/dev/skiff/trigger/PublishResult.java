package dev.skiff.trigger;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What did not get published.
 *
 * @param failures event id to the reason given by the service (an error code and message, never a secret)
 */
public record PublishResult(Map<String, String> failures) {

    public PublishResult {
        failures = Map.copyOf(failures);
    }

    public static PublishResult allPublished() {
        return new PublishResult(Map.of());
    }

    /** Every event in {@code events} failed for the same reason (the whole call failed). */
    static PublishResult allFailed(Collection<SkiffEvent> events, String reason) {
        var failures = new LinkedHashMap<String, String>();
        events.forEach(e -> failures.put(e.id(), reason));
        return new PublishResult(failures);
    }

    public boolean ok() {
        return failures.isEmpty();
    }

    public boolean failed(String eventId) {
        return failures.containsKey(eventId);
    }

    PublishResult plus(PublishResult other) {
        var all = new LinkedHashMap<>(failures);
        all.putAll(other.failures);
        return new PublishResult(all);
    }
}
