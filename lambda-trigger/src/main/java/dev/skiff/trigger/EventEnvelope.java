package dev.skiff.trigger;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An event in the shape EventBridge delivers it to a queue ({@code version}, {@code id},
 * {@code detail-type}, {@code source}, {@code time}, {@code region}, {@code resources},
 * {@code detail}), which is what the orchestrator's intake queue carries. Here the envelope's
 * {@code id} can be the deterministic id itself.
 */
final class EventEnvelope {

    private EventEnvelope() {
    }

    static ObjectNode of(SkiffEvent event, String region) {
        ObjectNode envelope = Json.object();
        envelope.put("version", "0");
        envelope.put("id", event.id());
        envelope.put("detail-type", event.detailType());
        envelope.put("source", SkiffEvent.SOURCE);
        envelope.put("time", event.time().toString());
        if (region != null) {
            envelope.put("region", region);
        }
        var resources = envelope.putArray("resources");
        event.resources().forEach(resources::add);
        envelope.set("detail", event.detail());
        return envelope;
    }
}
