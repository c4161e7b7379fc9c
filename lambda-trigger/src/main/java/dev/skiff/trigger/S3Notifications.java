package dev.skiff.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * S3 event notifications ({@code {"Records": [{"eventSource": "aws:s3", ...}]}}) become events
 * shaped like EventBridge's own S3 events (detail-type {@code Object Created} or
 * {@code Object Deleted}, {@code detail.bucket.name}, {@code detail.object.key}), so a job's
 * pattern and parameter paths read the same whichever way the notification came. The event id comes
 * from bucket, key, version and sequencer: S3 gives every change of a key its own sequencer and
 * repeats it when it delivers the same notification again.
 */
final class S3Notifications {

    private S3Notifications() {
    }

    static boolean isS3Notification(JsonNode node) {
        JsonNode records = node.path("Records");
        return records.isArray() && !records.isEmpty() && "aws:s3".equals(Json.text(records.get(0), "eventSource"));
    }

    /** The test message S3 sends when notifications are configured; it carries no object. */
    static boolean isTestEvent(JsonNode node) {
        return "s3:TestEvent".equals(Json.text(node, "Event"));
    }

    /** @param receivedAt the time of an event whose record names none */
    static List<SkiffEvent> events(JsonNode notification, Instant receivedAt) {
        var events = new ArrayList<SkiffEvent>();
        JsonNode records = notification.path("Records");
        for (int i = 0; i < records.size(); i++) {
            events.add(event(records.get(i), "Records[" + i + "]", receivedAt));
        }
        return events;
    }

    /** One record of a notification; {@code where} names it in errors. */
    static SkiffEvent event(JsonNode record, String where, Instant receivedAt) {
        String eventName = require(record, "eventName", where);
        JsonNode s3 = record.path("s3");
        String bucket = require(s3.path("bucket"), "name", where + ".s3.bucket");
        String rawKey = require(s3.path("object"), "key", where + ".s3.object");
        JsonNode object = s3.path("object");
        String sequencer = Json.text(object, "sequencer");
        String versionId = Json.text(object, "versionId");
        // Without a sequencer (rare event types), the S3 request id names the change instead.
        String change = sequencer != null ? sequencer
                : Json.text(record.path("responseElements"), "x-amz-request-id") + "@" + Json.text(record, "eventTime");
        String id = EventIds.of("s3", bucket, rawKey, versionId == null ? "" : versionId, eventName, change);

        ObjectNode detail = Json.object();
        detail.put("version", "0");
        detail.putObject("bucket").put("name", bucket);
        ObjectNode target = detail.putObject("object");
        // S3 URL-encodes keys in notifications (a space arrives as '+'); EventBridge's S3 events carry the plain key.
        target.put("key", URLDecoder.decode(rawKey, StandardCharsets.UTF_8));
        if (object.has("size")) {
            target.put("size", object.get("size").asLong());
        }
        putIfPresent(target, "etag", Json.text(object, "eTag"));
        putIfPresent(target, "version-id", versionId);
        putIfPresent(target, "sequencer", sequencer);
        detail.put("eventName", eventName);
        putIfPresent(detail, "request-id", Json.text(record.path("responseElements"), "x-amz-request-id"));
        putIfPresent(detail, "source-ip-address", Json.text(record.path("requestParameters"), "sourceIPAddress"));
        putIfPresent(detail, "awsRegion", Json.text(record, "awsRegion"));
        return new SkiffEvent(id, detailType(eventName), time(record, receivedAt), List.of("arn:aws:s3:::" + bucket), detail);
    }

    private static String detailType(String eventName) {
        if (eventName.startsWith("ObjectCreated:")) {
            return "Object Created";
        }
        if (eventName.startsWith("ObjectRemoved:")) {
            return "Object Deleted";
        }
        return "S3 " + eventName;
    }

    private static Instant time(JsonNode record, Instant receivedAt) {
        String text = Json.text(record, "eventTime");
        try {
            return text == null ? receivedAt : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new UnreadableMessageException("eventTime: " + text + " is not an ISO-8601 instant");
        }
    }

    private static String require(JsonNode node, String field, String where) {
        String value = Json.text(node, field);
        if (value == null || value.isEmpty()) {
            throw new UnreadableMessageException("not an S3 notification record: " + where + "." + field + " is missing");
        }
        return value;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
