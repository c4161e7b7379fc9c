package dev.skiff.orchestrator.adapter.eventbridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.orchestrator.port.RunEventSink;
import java.time.Instant;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Puts run events on Skiff's bus with PutEvents. EventBridge assigns each a new id; the deterministic one travels in
 * {@code detail.skiffEventId}, which Skiff's intake reads for {@code skiff.runs} events. An entry EventBridge refused
 * (throttled, or an internal failure) makes the put fail, so the caller keeps the event and tries again.
 */
public final class EventBridgeRunEventSink implements RunEventSink {

    private final EventBridgeClient events;
    private final String bus;

    /** @param bus the bus's name or ARN */
    public EventBridgeRunEventSink(EventBridgeClient events, String bus) {
        this.events = events;
        this.bus = bus;
    }

    @Override
    public void put(ObjectNode event) {
        JsonNode time = event.path("time");
        PutEventsRequestEntry entry = PutEventsRequestEntry.builder()
                .eventBusName(bus)
                .source(event.path("source").asText())
                .detailType(event.path("detail-type").asText())
                .detail(event.path("detail").toString())
                .time(time.isTextual() ? Instant.parse(time.asText()) : null)
                .build();
        PutEventsResponse response = events.putEvents(r -> r.entries(entry));
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            PutEventsResultEntry failed = response.entries().get(0);
            throw new IllegalStateException("EventBridge refused run event "
                    + event.path("detail").path("skiffEventId").asText() + ": " + failed.errorCode() + " "
                    + failed.errorMessage());
        }
    }
}
