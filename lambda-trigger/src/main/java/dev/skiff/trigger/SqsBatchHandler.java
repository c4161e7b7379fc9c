package dev.skiff.trigger;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An SQS batch whose messages carry S3 notifications or SNS notifications (SNS to SQS without raw
 * delivery). All events of the batch are published together; a message is reported in
 * {@code batchItemFailures} when it was unreadable or any of its events failed, so only it comes back
 * (the event source mapping needs {@code ReportBatchItemFailures}).
 */
public final class SqsBatchHandler {

    private final EventPublisher publisher;
    private final Clock clock;
    private final TriggerLog log;

    public SqsBatchHandler(EventPublisher publisher, Clock clock, TriggerLog log) {
        this.publisher = publisher;
        this.clock = clock;
        this.log = log;
    }

    public static boolean isSqsEvent(JsonNode event) {
        JsonNode records = event.path("Records");
        return records.isArray() && !records.isEmpty() && "aws:sqs".equals(Json.text(records.get(0), "eventSource"));
    }

    public SQSBatchResponse handle(JsonNode event, String requestId) {
        Map<String, List<SkiffEvent>> eventsByMessage = new LinkedHashMap<>();
        var failed = new ArrayList<String>();
        for (JsonNode record : event.path("Records")) {
            String messageId = Json.text(record, "messageId");
            try {
                eventsByMessage.put(messageId, events(Json.text(record, "body")));
            } catch (UnreadableMessageException e) {
                log.info(requestId, "message unreadable messageId=" + messageId + " reason=\"" + e.getMessage() + "\"");
                failed.add(messageId);
            }
        }
        List<SkiffEvent> all = eventsByMessage.values().stream().flatMap(List::stream).toList();
        PublishResult result = all.isEmpty() ? PublishResult.allPublished() : publisher.publish(all);
        eventsByMessage.forEach((messageId, events) -> {
            Optional<SkiffEvent> failedEvent = events.stream().filter(e -> result.failed(e.id())).findFirst();
            failedEvent.ifPresent(e -> {
                log.info(requestId, "message not published messageId=" + messageId + " eventId=" + e.id()
                        + " reason=\"" + result.failures().get(e.id()) + "\"");
                failed.add(messageId);
            });
        });
        log.info(requestId, "sqs batch messages=" + event.path("Records").size() + " events=" + all.size()
                + " failedMessages=" + failed.size());
        return new SQSBatchResponse(failed.stream().map(SQSBatchResponse.BatchItemFailure::new).toList());
    }

    private List<SkiffEvent> events(String body) {
        JsonNode message = Json.tryRead(body)
                .orElseThrow(() -> new UnreadableMessageException("the body is not JSON"));
        if (SnsNotifications.isSnsNotification(message)) {
            return SnsNotifications.events(message, clock.instant());
        }
        if (S3Notifications.isS3Notification(message)) {
            return S3Notifications.events(message, clock.instant());
        }
        if (S3Notifications.isTestEvent(message)) {
            return List.of();
        }
        throw new UnreadableMessageException("the body is neither an S3 notification nor an SNS notification");
    }
}
