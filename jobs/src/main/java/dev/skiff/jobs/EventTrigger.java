package dev.skiff.jobs;

import java.util.Map;

/**
 * Starts a run when an event matches an EventBridge event pattern.
 *
 * @param pattern     the EventBridge event pattern, as canonical JSON text
 * @param parameters  parameter name to a path in the event, written {@code $.detail.object.key}
 */
public record EventTrigger(String pattern, Map<String, String> parameters) {

    public EventTrigger {
        pattern = SharedValues.text(pattern); // jobs listening for the same events write the same pattern
        parameters = SharedValues.values(parameters);
    }
}
