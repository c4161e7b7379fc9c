package dev.skiff.trigger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.jobs.SkiffEvents;
import java.time.Instant;
import java.util.List;

/**
 * One event this function publishes, with source {@value #SOURCE}. PutEvents cannot set an event's
 * id, so the deterministic {@code id} also travels as {@code detail.skiffEventId}: the orchestrator
 * takes it as the event id for this source, which makes a retried delivery the same run.
 *
 * @param id          deterministic: derived only from the input (see {@link EventIds})
 * @param detailType  names the kind: {@code Webhook Run Requested}, {@code Object Created}, {@code SNS Message}, …
 * @param time        when the upstream system says it happened
 * @param resources   ARNs the event concerns (bucket, topic)
 * @param detail      the event's detail, {@code skiffEventId} included
 */
public record SkiffEvent(String id, String detailType, Instant time, List<String> resources, ObjectNode detail) {

    public static final String SOURCE = SkiffEvents.SOURCE;

    public SkiffEvent {
        resources = List.copyOf(resources);
        detail = detail.deepCopy();
        detail.put(SkiffEvents.EVENT_ID_FIELD, id);
    }
}
