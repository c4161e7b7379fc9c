package dev.skiff.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotificationHandlerTest {

    private final RecordingEventPublisher publisher = new RecordingEventPublisher();
    private final TriggerLog log = new TriggerLog(new PrintStream(new ByteArrayOutputStream()));
    private final NotificationHandler handler = new NotificationHandler(publisher, Fixtures.CLOCK, log);

    @Test
    void shouldPublishAnObjectCreatedEventShapedLikeEventBridgesWhenS3Notifies() {
        // Given
        ObjectNode notification = Fixtures.json("s3-notification.json");
        // When
        handler.handle(notification, "req-1");
        // Then
        assertThat(publisher.published).hasSize(1);
        SkiffEvent event = publisher.published.get(0);
        assertThat(event.detailType()).isEqualTo("Object Created");
        assertThat(event.time()).isEqualTo(Instant.parse("2026-11-26T07:59:58.123Z"));
        assertThat(event.resources()).containsExactly("arn:aws:s3:::skiff-landing");
        assertThat(event.detail().at("/bucket/name").asText()).isEqualTo("skiff-landing");
        // S3 URL-encodes keys in notifications: '+' is a space and %2B a plus
        assertThat(event.detail().at("/object/key").asText()).isEqualTo("incoming/2026/11/26/orders final+v2.csv");
        assertThat(event.detail().at("/object/size").asLong()).isEqualTo(1024);
        assertThat(event.detail().at("/object/sequencer").asText()).isEqualTo("0055AED6DCD90281E5");
        assertThat(event.detail().at("/eventName").asText()).isEqualTo("ObjectCreated:Put");
        assertThat(event.detail().at("/skiffEventId").asText()).isEqualTo(event.id()).startsWith("s3-");
    }

    @Test
    void shouldPublishTheSameEventIdWhenS3DeliversTheSameNotificationTwice() {
        handler.handle(Fixtures.json("s3-notification.json"), "a");
        handler.handle(Fixtures.json("s3-notification.json"), "b");
        assertThat(publisher.published.get(1).id()).isEqualTo(publisher.published.get(0).id());
    }

    @Test
    void shouldPublishANewEventIdWhenTheSameKeyChangesAgain() {
        // Given a second write of the same key: S3 gives it a higher sequencer
        ObjectNode first = Fixtures.json("s3-notification.json");
        ObjectNode second = Fixtures.json("s3-notification.json");
        ((ObjectNode) second.at("/Records/0/s3/object")).put("sequencer", "0055AED6DCD90281F0");
        // When
        handler.handle(first, "a");
        handler.handle(second, "b");
        // Then
        assertThat(publisher.published.get(1).id()).isNotEqualTo(publisher.published.get(0).id());
    }

    @Test
    void shouldPublishAnSnsMessageEventWithTheMessageAsJsonWhenSnsNotifies() {
        // Given
        ObjectNode notification = Fixtures.json("sns-notification.json");
        // When
        handler.handle(notification, "req-1");
        // Then
        SkiffEvent event = publisher.published.get(0);
        assertThat(event.detailType()).isEqualTo("SNS Message");
        assertThat(event.resources()).containsExactly("arn:aws:sns:us-east-1:123456789012:partner-drops");
        assertThat(event.detail().at("/message/partner").asText()).isEqualTo("acme");
        assertThat(event.detail().at("/subject").asText()).isEqualTo("partner drop ready");
        assertThat(event.detail().at("/messageId").asText()).isEqualTo("95df01b4-ee98-5cb9-9903-4c221d41eb5e");
        assertThat(event.detail().at("/messageAttributes/priority").asText()).isEqualTo("high");
        assertThat(event.id()).isEqualTo(EventIds.of("sns", "arn:aws:sns:us-east-1:123456789012:partner-drops",
                "95df01b4-ee98-5cb9-9903-4c221d41eb5e"));
    }

    @Test
    void shouldKeepAPlainTextSnsMessageAsTextWhenItIsNotJson() {
        ObjectNode notification = Fixtures.json("sns-notification.json");
        ((ObjectNode) notification.at("/Records/0/Sns")).put("Message", "drop ready");
        handler.handle(notification, "a");
        assertThat(publisher.published.get(0).detail().get("message").asText()).isEqualTo("drop ready");
    }

    @Test
    void shouldFailTheInvocationSoLambdaRetriesWhenPublishingFails() {
        // Given
        ObjectNode notification = Fixtures.json("s3-notification.json");
        publisher.failingAll();
        // Then
        assertThatThrownBy(() -> handler.handle(notification, "a"))
                .hasMessageContaining("could not publish every record")
                .hasMessageContaining("InternalFailure");
    }

    @Test
    void shouldPublishTheReadableRecordsAndThenFailWhenOneRecordIsUnreadable() {
        // Given a notification whose second record has no object key
        ObjectNode notification = Fixtures.json("s3-notification.json");
        ObjectNode broken = notification.at("/Records/0").deepCopy();
        ((ObjectNode) broken.at("/s3/object")).remove("key");
        notification.withArray("Records").add(broken);
        // Then
        assertThatThrownBy(() -> handler.handle(notification, "a"))
                .hasMessageContaining("Records[1]: not an S3 notification record: Records[1].s3.object.key is missing");
        assertThat(publisher.published).hasSize(1);
    }

    @Test
    void shouldRecogniseEachSourceByItsShape() {
        assertThat(NotificationHandler.isS3Event(Fixtures.json("s3-notification.json"))).isTrue();
        assertThat(NotificationHandler.isSnsEvent(Fixtures.json("sns-notification.json"))).isTrue();
        assertThat(SqsBatchHandler.isSqsEvent(Fixtures.json("sqs-batch.json"))).isTrue();
        for (String fixture : List.of("s3-notification.json", "sns-notification.json", "apigw-v2-webhook.json")) {
            assertThat(SqsBatchHandler.isSqsEvent(Fixtures.json(fixture))).isFalse();
        }
        assertThat(NotificationHandler.isS3Event(Fixtures.json("sns-notification.json"))).isFalse();
    }
}
