package dev.skiff.jobs;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Map;

/**
 * Starts a run when a run of another job ends in one of {@code statuses}: sugar for {@link #asEventTrigger}, a pattern
 * on Skiff's run events ({@link RunEvents}). The follower's run id comes from the event's id, which comes from the
 * upstream run id and status, so one upstream end starts exactly one run.
 *
 * @param job        the upstream job
 * @param statuses   the ends that start this job (each {@link RunEvents.Kind#isEnd()})
 * @param parameters parameter name to a path in the run event, as an event trigger's
 */
public record AfterTrigger(String job, List<RunEvents.Kind> statuses, Map<String, String> parameters) {

    public AfterTrigger {
        statuses = List.copyOf(statuses);
        parameters = Map.copyOf(parameters);
    }

    /** The event trigger this stands for. */
    public EventTrigger asEventTrigger() {
        var pattern = JsonNodeFactory.instance.objectNode();
        pattern.putArray("source").add(RunEvents.SOURCE);
        var types = pattern.putArray("detail-type");
        statuses.forEach(status -> types.add(status.detailType()));
        pattern.putObject("detail").putArray(RunEvents.JOB).add(job);
        return new EventTrigger(EventPatterns.canonical(pattern), parameters);
    }
}
