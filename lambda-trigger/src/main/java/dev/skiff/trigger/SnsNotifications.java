package dev.skiff.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * An SNS notification (the {@code Sns} object of a Lambda SNS record, or the JSON body SNS puts on an
 * SQS queue) becomes one {@value #DETAIL_TYPE} event whose id comes from the topic and the
 * MessageId, which SNS keeps across redeliveries. When the message is itself an S3 notification
 * (S3 to SNS fan-out), it becomes the S3 events instead, with the same ids as if S3 had sent it directly.
 */
final class SnsNotifications {

    static final String DETAIL_TYPE = "SNS Message";

    private SnsNotifications() {
    }

    static boolean isSnsNotification(JsonNode node) {
        return "Notification".equals(Json.text(node, "Type")) && Json.text(node, "MessageId") != null
                && Json.text(node, "TopicArn") != null;
    }

    /** @param receivedAt the time of an event whose notification names none */
    static List<SkiffEvent> events(JsonNode sns, Instant receivedAt) {
        if (!isSnsNotification(sns)) {
            throw new UnreadableMessageException("not an SNS notification: Type, MessageId and TopicArn are required");
        }
        String message = Optional.ofNullable(Json.text(sns, "Message")).orElse("");
        Optional<JsonNode> json = Json.tryRead(message);
        if (json.isPresent() && S3Notifications.isS3Notification(json.get())) {
            return S3Notifications.events(json.get(), receivedAt);
        }
        if (json.isPresent() && S3Notifications.isTestEvent(json.get())) {
            return List.of();
        }
        String topic = Json.text(sns, "TopicArn");
        String messageId = Json.text(sns, "MessageId");
        ObjectNode detail = Json.object();
        detail.put("topicArn", topic);
        detail.put("messageId", messageId);
        String subject = Json.text(sns, "Subject");
        if (subject != null) {
            detail.put("subject", subject);
        }
        // A JSON message stays JSON, so a job's pattern and parameter paths can reach into it.
        if (json.isPresent() && json.get().isContainerNode()) {
            detail.set("message", json.get());
        } else {
            detail.put("message", message);
        }
        ObjectNode attributes = detail.putObject("messageAttributes");
        sns.path("MessageAttributes").fields().forEachRemaining(a ->
                attributes.put(a.getKey(), a.getValue().path("Value").asText()));
        String id = EventIds.of("sns", topic, messageId);
        return List.of(new SkiffEvent(id, DETAIL_TYPE, time(sns, receivedAt), List.of(topic), detail));
    }

    private static Instant time(JsonNode sns, Instant receivedAt) {
        String text = Json.text(sns, "Timestamp");
        try {
            return text == null ? receivedAt : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new UnreadableMessageException("Timestamp: " + text + " is not an ISO-8601 instant");
        }
    }
}
