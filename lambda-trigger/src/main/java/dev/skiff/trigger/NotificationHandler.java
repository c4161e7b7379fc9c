package dev.skiff.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * S3 notifications and SNS messages invoking the function directly (asynchronously). Every readable
 * record is published; if any record was unreadable or any event failed, the invocation fails, so
 * Lambda retries it and finally hands it to the function's on-failure destination. A retry publishes
 * the already published events again with the same ids, which the orchestrator deduplicates.
 */
public final class NotificationHandler {

    private final EventPublisher publisher;
    private final Clock clock;
    private final TriggerLog log;

    public NotificationHandler(EventPublisher publisher, Clock clock, TriggerLog log) {
        this.publisher = publisher;
        this.clock = clock;
        this.log = log;
    }

    public static boolean isSnsEvent(JsonNode event) {
        JsonNode records = event.path("Records");
        return records.isArray() && !records.isEmpty() && "aws:sns".equals(Json.text(records.get(0), "EventSource"));
    }

    public static boolean isS3Event(JsonNode event) {
        return S3Notifications.isS3Notification(event);
    }

    public void handle(JsonNode event, String requestId) {
        var events = new ArrayList<SkiffEvent>();
        var problems = new ArrayList<String>();
        JsonNode records = event.path("Records");
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            try {
                if (isSnsEvent(event)) {
                    events.addAll(SnsNotifications.events(record.path("Sns"), clock.instant()));
                } else {
                    events.add(S3Notifications.event(record, "Records[" + i + "]", clock.instant()));
                }
            } catch (UnreadableMessageException e) {
                problems.add("Records[" + i + "]: " + e.getMessage());
            }
        }
        PublishResult result = events.isEmpty() ? PublishResult.allPublished() : publisher.publish(events);
        result.failures().forEach((id, reason) -> problems.add("event " + id + ": " + reason));
        log.info(requestId, "notification records=" + records.size() + " published=" + (events.size() - result.failures().size())
                + " failed=" + problems.size() + ids(events));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("could not publish every record: " + String.join("; ", problems));
        }
    }

    private static String ids(List<SkiffEvent> events) {
        return events.isEmpty() ? "" : " eventIds=" + String.join(",", events.stream().map(SkiffEvent::id).toList());
    }
}
