package dev.skiff.trigger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * PutEvents on the Skiff bus, 10 entries a call. Entries come back in request order; one with an
 * error code is a failure even when the call succeeded (FailedEntryCount > 0), and a call that
 * throws fails all of its entries.
 */
public final class EventBridgeEventPublisher implements EventPublisher {

    private final EventBridgeClient client;
    private final String eventBus;

    public EventBridgeEventPublisher(EventBridgeClient client, String eventBus) {
        this.client = client;
        this.eventBus = eventBus;
    }

    @Override
    public PublishResult publish(List<SkiffEvent> events) {
        PublishResult result = PublishResult.allPublished();
        for (List<SkiffEvent> chunk : Batches.of(events)) {
            result = result.plus(publishChunk(chunk));
        }
        return result;
    }

    private PublishResult publishChunk(List<SkiffEvent> chunk) {
        var entries = new ArrayList<PutEventsRequestEntry>();
        for (SkiffEvent event : chunk) {
            entries.add(PutEventsRequestEntry.builder()
                    .eventBusName(eventBus)
                    .source(SkiffEvent.SOURCE)
                    .detailType(event.detailType())
                    .detail(Json.write(event.detail()))
                    .time(event.time())
                    .resources(event.resources())
                    .build());
        }
        PutEventsResponse response;
        try {
            response = client.putEvents(r -> r.entries(entries));
        } catch (SdkException e) {
            return PublishResult.allFailed(chunk, "PutEvents failed: " + e.getMessage());
        }
        if (response.failedEntryCount() == null || response.failedEntryCount() == 0) {
            return PublishResult.allPublished();
        }
        var failures = new LinkedHashMap<String, String>();
        List<PutEventsResultEntry> results = response.entries();
        for (int i = 0; i < chunk.size(); i++) {
            PutEventsResultEntry entry = i < results.size() ? results.get(i) : null;
            if (entry == null || entry.errorCode() != null) {
                failures.put(chunk.get(i).id(), entry == null ? "no result entry"
                        : entry.errorCode() + ": " + entry.errorMessage());
            }
        }
        return new PublishResult(failures);
    }
}
