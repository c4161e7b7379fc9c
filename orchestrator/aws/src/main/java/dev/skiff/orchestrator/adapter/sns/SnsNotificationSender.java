package dev.skiff.orchestrator.adapter.sns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.skiff.jobs.NotifyChannel;
import dev.skiff.jobs.RunEvents;
import dev.skiff.orchestrator.adapter.AwsFailures;
import dev.skiff.orchestrator.app.RunEventDocuments;
import dev.skiff.orchestrator.port.Notification;
import dev.skiff.orchestrator.port.NotificationFailure;
import dev.skiff.orchestrator.port.NotificationSender;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * SNS notifications: one Publish to the channel's topic, its subject a short ASCII line (what SNS allows, and an
 * e-mail subscription shows), its message the notification's text and the run event's detail as JSON, with the job and
 * the status as message attributes, so a subscription's filter policy can pick. A FIFO topic gets the job as message
 * group and the event id as deduplication id, so a notification sent again is dropped there. Throttling, a 5xx and a
 * broken connection may pass on another attempt; any other refusal (no such topic, not authorized) fails for good.
 */
public final class SnsNotificationSender implements NotificationSender {

    /** SNS refuses a subject of 100 characters or more. */
    static final int MAX_SUBJECT = 99;
    public static final String JOB_ATTRIBUTE = "job";
    public static final String STATUS_ATTRIBUTE = "status";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final SnsClient sns;

    /** @param sns a client whose own retries are off: each call is one attempt, the caller retries */
    public SnsNotificationSender(SnsClient sns) {
        this.sns = sns;
    }

    @Override
    public NotifyChannel.Kind kind() {
        return NotifyChannel.Kind.SNS;
    }

    @Override
    public void send(NotifyChannel channel, Notification notification, Duration timeout) {
        String status = notification.detail().path(RunEvents.STATUS).asText(notification.kind().name());
        var request = PublishRequest.builder().topicArn(channel.target())
                .subject(subject(notification))
                .message(notification.text() + "\n\n" + json(notification))
                .messageAttributes(Map.of(
                        JOB_ATTRIBUTE, text(notification.job()),
                        STATUS_ATTRIBUTE, text(notification.kind() == RunEvents.Kind.DEADLINE_MISSED
                                ? notification.kind().name() : status)))
                .overrideConfiguration(o -> o.apiCallTimeout(timeout));
        if (channel.target().endsWith(".fifo")) {
            request.messageGroupId(notification.job()).messageDeduplicationId(RunEventDocuments.idOf(notification.eventId()));
        }
        try {
            sns.publish(request.build());
        } catch (AwsServiceException e) {
            String reason = "SNS refused: " + e.awsErrorDetails().errorCode() + " " + e.awsErrorDetails().errorMessage();
            throw AwsFailures.passing(e)
                    ? NotificationFailure.retryable(reason) : NotificationFailure.permanent(reason);
        } catch (SdkClientException e) {
            throw NotificationFailure.retryable("SNS not reached: " + e.getMessage());
        }
    }

    /** {@code Skiff: job etl FAILED (run etl-1)}: printable ASCII, as SNS demands, under 100 characters. */
    static String subject(Notification notification) {
        String what = notification.kind() == RunEvents.Kind.DEADLINE_MISSED ? "missed its deadline"
                : notification.kind().name().replace('_', ' ');
        String subject = ("Skiff: job " + notification.job() + " " + what + " (run " + notification.runId() + ")")
                .replaceAll("[^\\x20-\\x7e]", "?");
        return subject.length() <= MAX_SUBJECT ? subject : subject.substring(0, MAX_SUBJECT - 3) + "...";
    }

    private static String json(Notification notification) {
        try {
            return JSON.writeValueAsString(notification.detail());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always writes", e);
        }
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
