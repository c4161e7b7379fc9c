package dev.skiff.jobs;

import java.util.Map;

/**
 * An event trigger of a job that matched an event.
 *
 * @param jobName       the job to start
 * @param triggerIndex  index into the job's {@code triggers.events}: the first trigger that matched
 * @param parameters    parameter values taken from the event; a path missing from the event gives no entry
 */
public record EventMatch(String jobName, int triggerIndex, Map<String, String> parameters) {

    public EventMatch {
        parameters = Map.copyOf(parameters);
    }
}
